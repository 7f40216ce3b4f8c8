# nn area: chapter 03 / 04 demo smoke runs (tiny sizes, no downloads) and their error messages.
# (tests/ is configured before chapters/, so the demo targets are resolved when the build is generated.)
add_test(NAME ch03.demo.smoke COMMAND sh -c "\"$0\" \"$@\" 2>&1; echo \"exit status $?\"" $<TARGET_FILE:ch03_demo> --smoke --out "${CMAKE_BINARY_DIR}/smoke/ch03_attention.png")
set_tests_properties(ch03.demo.smoke PROPERTIES LABELS "ch03;demo" TIMEOUT 60
                     PASS_REGULAR_EXPRESSION "Wrote the attention heatmaps to.*exit status 0\n$")
add_test(NAME ch03.demo.too_long COMMAND sh -c "\"$0\" \"$@\" 2>&1; echo \"exit status $?\"" $<TARGET_FILE:ch03_demo> --smoke --text "a b c d e f g h i j k l m n o p q")
set_tests_properties(ch03.demo.too_long PROPERTIES LABELS "ch03;demo" WILL_FAIL FALSE
                     PASS_REGULAR_EXPRESSION "error: the sentence has 17 words; this demo shows at most 16.*exit status [1-9][0-9]*\n$")
add_test(NAME ch04.demo.smoke COMMAND sh -c "\"$0\" \"$@\" 2>&1; echo \"exit status $?\"" $<TARGET_FILE:ch04_demo> --smoke)
set_tests_properties(ch04.demo.smoke PROPERTIES LABELS "ch04;demo" TIMEOUT 60
                     PASS_REGULAR_EXPRESSION "Forward \\+ backward takes.*exit status 0\n$")
add_test(NAME ch04.demo.bad_option COMMAND sh -c "\"$0\" \"$@\" 2>&1; echo \"exit status $?\"" $<TARGET_FILE:ch04_demo> --big)
set_tests_properties(ch04.demo.bad_option PROPERTIES LABELS "ch04;demo"
                     PASS_REGULAR_EXPRESSION "error: unknown option '--big'.*exit status [1-9][0-9]*\n$")
