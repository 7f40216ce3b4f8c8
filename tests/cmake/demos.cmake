# Every chapter demo answers --help with its usage on stdout and exit status 0.
foreach(nn 00 01 02 03 04 05 06 07)
  add_test(NAME ch${nn}.demo.help COMMAND ${CMAKE_COMMAND} -E env sh -c "\"$0\" --help; echo \"exit status $?\""
                                  $<TARGET_FILE:ch${nn}_demo>)
  set_tests_properties(ch${nn}.demo.help PROPERTIES LABELS "ch${nn};demo"
                       PASS_REGULAR_EXPRESSION "^usage: ch${nn}_demo .*--smoke.*exit status 0\n$")
endforeach()
