# Chapter 08 (semantic search): the demo as a learner runs it.
# The smoke run uses the project's own story (no downloads).
add_test(NAME ch08.demo.smoke COMMAND sh -c "\"$0\" \"$@\" 2>&1; echo \"exit status $?\"" $<TARGET_FILE:ch08_demo> --smoke)
set_tests_properties(ch08.demo.smoke PROPERTIES LABELS "ch08;demo" TIMEOUT 120
                     PASS_REGULAR_EXPRESSION "paragraphs, each the SIF-weighted mean.*Q: who keeps the lamp.*RAG.*Question: who keeps.*nprobe +16 of 16: recall@10 1\\.000.*Wrote .*ch08_recall_speed_smoke.png.*exit status 0\n$")
add_test(NAME ch08.demo.bad_option COMMAND sh -c "\"$0\" \"$@\" 2>&1; echo \"exit status $?\"" $<TARGET_FILE:ch08_demo> --fast)
set_tests_properties(ch08.demo.bad_option PROPERTIES LABELS "ch08;demo"
                     PASS_REGULAR_EXPRESSION "error: unknown option '--fast'.*exit status [1-9][0-9]*\n$")
if(NOT TEST ch08.demo.help)
  add_test(NAME ch08.demo.help COMMAND sh -c "\"$0\" --help; echo \"exit status $?\"" $<TARGET_FILE:ch08_demo>)
  set_tests_properties(ch08.demo.help PROPERTIES LABELS "ch08;demo"
                       PASS_REGULAR_EXPRESSION "^usage: ch08_demo .*--smoke.*exit status 0\n$")
endif()
