# nn area: chapter 03 / 04 demo smoke runs (tiny sizes, no downloads) and their error messages.
# (tests/ is configured before chapters/, so the demo targets are resolved when the build is generated.)
minillm_program_test(ch03.demo.smoke PROGRAM ch03_demo ARGS --smoke --out "${CMAKE_BINARY_DIR}/smoke/ch03_attention.png"
                     LABELS "ch03;demo" TIMEOUT 60
                     EXPECT "Wrote the attention heatmaps to")
minillm_program_test(ch03.demo.too_long PROGRAM ch03_demo ARGS --smoke --text "a b c d e f g h i j k l m n o p q"
                     LABELS "ch03;demo" FAILS
                     EXPECT "error: the sentence has 17 words; this demo shows at most 16")
minillm_program_test(ch04.demo.smoke PROGRAM ch04_demo ARGS --smoke
                     LABELS "ch04;demo" TIMEOUT 60
                     EXPECT "Forward \\+ backward takes")
minillm_program_test(ch04.demo.bad_option PROGRAM ch04_demo ARGS --big
                     LABELS "ch04;demo" FAILS
                     EXPECT "error: unknown option '--big'")
