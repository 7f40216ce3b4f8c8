# Chapter 08 (semantic search): the demo as a learner runs it (its --help test comes from demos.cmake).
# The smoke run uses the project's own story (no downloads).
minillm_program_test(ch08.demo.smoke PROGRAM ch08_demo ARGS --smoke
                     LABELS "ch08;demo" TIMEOUT 120
                     EXPECT "paragraphs, each the SIF-weighted mean.*Q: who keeps the lamp.*RAG.*Question: who keeps.*nprobe +16 of 16: recall@10 1\\.000.*Wrote .*ch08_recall_speed_smoke.png")
minillm_program_test(ch08.demo.bad_option PROGRAM ch08_demo ARGS --fast
                     LABELS "ch08;demo" FAILS
                     EXPECT "error: unknown option '--fast'")
