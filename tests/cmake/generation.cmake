# Chapter 07 (generation): the demo's smoke run (a tiny model trained on the project's own texts, no
# downloads) and its error for a bad option.
minillm_program_test(ch07.demo.smoke PROGRAM ch07_demo ARGS --smoke --out "${CMAKE_BINARY_DIR}/tests/ch07-smoke"
                     LABELS "ch07;demo" TIMEOUT 120
                     EXPECT "Top-p 0.95 keeps [0-9]+ at T=0.5, [0-9]+ at T=1, [0-9]+ at T=1.5.*as a picture: [^\n]*next_token.png.*Greedy.*Sampled.*tokens/s")
minillm_program_test(ch07.demo.bad_option PROGRAM ch07_demo ARGS --temperature 2
                     LABELS "ch07;demo" FAILS
                     EXPECT "error: unknown option '--temperature'")
