# Chapter 00: the demo's smoke run (tiny sizes, no downloads) and its error message for a bad option.
# (tests/ is configured before chapters/, so ch00_demo is not a target yet here; add_test resolves the
# name when the build is generated.)
add_test(NAME ch00.demo.smoke COMMAND ch00_demo --smoke)
set_tests_properties(ch00.demo.smoke PROPERTIES LABELS "ch00;demo" TIMEOUT 60)
minillm_program_test(ch00.demo.bad_option PROGRAM ch00_demo ARGS --size zero
                     LABELS "ch00;demo" FAILS
                     EXPECT "error: --size zero is not usable: give a matrix size, a whole number from 1 to 4096")
