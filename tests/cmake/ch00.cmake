# Chapter 00: the demo's smoke run (tiny sizes, no downloads) and its error message for a bad option.
if(TARGET ch00_demo)
  add_test(NAME ch00.demo.smoke COMMAND ch00_demo --smoke)
  set_tests_properties(ch00.demo.smoke PROPERTIES LABELS "ch00;demo" TIMEOUT 60
                       PASS_REGULAR_EXPRESSION "Step 4")
  add_test(NAME ch00.demo.bad_size COMMAND ch00_demo --size zero)
  set_tests_properties(ch00.demo.bad_size PROPERTIES LABELS "ch00;demo" WILL_FAIL TRUE)
endif()
