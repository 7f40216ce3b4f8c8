# Chapter 07 (generation): the demo's smoke run (a tiny model trained on the project's own texts, no
# downloads) and its error for a bad option.
add_test(NAME ch07.demo.smoke COMMAND sh -c "\"$0\" \"$@\" 2>&1; echo \"exit status $?\"" $<TARGET_FILE:ch07_demo> --smoke --out "${CMAKE_BINARY_DIR}/tests/ch07-smoke")
set_tests_properties(ch07.demo.smoke PROPERTIES LABELS "ch07;demo" TIMEOUT 120
                     PASS_REGULAR_EXPRESSION "Top-p 0.95 keeps [0-9]+ at T=0.5, [0-9]+ at T=1, [0-9]+ at T=1.5.*as a picture: [^\n]*next_token.png.*Greedy.*Sampled.*tokens/s.*exit status 0\n$")
add_test(NAME ch07.demo.bad_option COMMAND sh -c "\"$0\" \"$@\" 2>&1; echo \"exit status $?\"" $<TARGET_FILE:ch07_demo> --temperature 2)
set_tests_properties(ch07.demo.bad_option PROPERTIES LABELS "ch07;demo"
                     PASS_REGULAR_EXPRESSION "error: unknown option --temperature.*exit status [1-9][0-9]*\n$")
