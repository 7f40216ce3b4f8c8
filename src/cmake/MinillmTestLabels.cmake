# minillm_discover_tests(TARGET PREFIX LABELS...): register a GoogleTest binary's tests with ctest (discovered
# when ctest runs, so configuring needs no test binary) and give every one of them all the LABELS.
# Why not gtest_discover_tests(... PROPERTIES LABELS "a;b"): CMake 3.25 splits that list into separate
# property arguments, so only the first label sticks and `ctest -L ch04` would find nothing. Instead a script
# that ctest runs after discovery sets the labels from the discovered test list.
include(GoogleTest)

function(minillm_discover_tests target prefix)
  gtest_discover_tests(${target} TEST_PREFIX "${prefix}" DISCOVERY_MODE PRE_TEST TEST_LIST ${target}_TESTS)
  string(JOIN ";" labels ${ARGN})
  set(label_script "${CMAKE_CURRENT_BINARY_DIR}/${target}_labels.cmake")
  file(WRITE "${label_script}"
       "foreach(test IN LISTS ${target}_TESTS)\n"
       "  set_tests_properties(\"\${test}\" PROPERTIES LABELS \"${labels}\")\n"
       "endforeach()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${label_script}")
endfunction()
