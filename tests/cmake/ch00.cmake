# Chapter 00: the demo's smoke run (tiny sizes, no downloads) and its error message for a bad option.
# (tests/ is configured before chapters/, so ch00_demo is not a target yet here; add_test resolves the
# name when the build is generated.)
add_test(NAME ch00.demo.smoke COMMAND ch00_demo --smoke)
set_tests_properties(ch00.demo.smoke PROPERTIES LABELS "ch00;demo" TIMEOUT 60)
add_test(NAME ch00.demo.bad_option COMMAND sh -c "\"$0\" \"$@\" 2>&1; echo \"exit status $?\"" $<TARGET_FILE:ch00_demo> --size zero)
set_tests_properties(ch00.demo.bad_option PROPERTIES LABELS "ch00;demo"
                     PASS_REGULAR_EXPRESSION "error: --size zero is not a matrix size.*exit status [1-9][0-9]*\n$")
