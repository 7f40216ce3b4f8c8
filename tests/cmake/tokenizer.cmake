# Tokenizer tests beyond unit_tokenizer.
#
# The tiktoken-compatibility tests need tiktoken's rank files (./run fetch downloads them to data/cache/);
# they live in their own binary so that they carry the label "fetched": a learner offline can run
# `ctest -LE fetched` knowingly. They fail, saying "run ./run fetch", when the files are missing.
minillm_unit_tests(tokenizer_fetched DEPS minillm_tokenizer LABELS "tokenizer;ch01;fetched")

# The CLI, run as a learner would.
add_test(NAME tokenizer.cli.tokenize_hello_world COMMAND minillm_cli tokenize "Hello, world!")
set_tests_properties(tokenizer.cli.tokenize_hello_world PROPERTIES LABELS "tokenizer;ch01;cli;fetched"
                     PASS_REGULAR_EXPRESSION "ids: +\\[15496, 11, 995, 0\\]")
add_test(NAME tokenizer.cli.unknown_encoding_lists_valid_ones COMMAND minillm_cli tokenize --encoding gpt9 "x")
set_tests_properties(tokenizer.cli.unknown_encoding_lists_valid_ones PROPERTIES LABELS "tokenizer;ch01;cli"
                     PASS_REGULAR_EXPRESSION "error: unknown encoding \"gpt9\": use one of gpt2, cl100k_base, o200k_base")
add_test(NAME tokenizer.cli.special_text_needs_allow_special COMMAND minillm_cli tokenize "end<|endoftext|>")
set_tests_properties(tokenizer.cli.special_text_needs_allow_special PROPERTIES LABELS "tokenizer;ch01;cli;fetched"
                     PASS_REGULAR_EXPRESSION "error: .*--allow-special")
set(tokenizer_cli_out "${CMAKE_BINARY_DIR}/tests/tokenizer-cli")
add_test(NAME tokenizer.cli.train_then_tokenize
         COMMAND ${CMAKE_COMMAND} -E env sh -c
                 "\"$0\" train-tokenizer --vocab-size 400 --input \"$1\" --out \"$2\" && \"$0\" tokenize --encoding \"$2\" 'the lighthouse keeper'"
                 $<TARGET_FILE:minillm_cli> "${PROJECT_SOURCE_DIR}/data/text/lighthouse_story.txt" "${tokenizer_cli_out}/story.bpe")
set_tests_properties(tokenizer.cli.train_then_tokenize PROPERTIES LABELS "tokenizer;ch01;cli"
                     PASS_REGULAR_EXPRESSION "bytes per token.*saved to.*story.bpe: 21 bytes -> [0-9]+ tokens")

# Chapter 01 demo: the smoke run uses the project's own texts (no downloads) and must finish quickly.
minillm_program_test(ch01.demo.smoke PROGRAM ch01_demo ARGS --smoke
                     LABELS "ch01;demo" TIMEOUT 60
                     EXPECT "bytes per token.*Wrote the chart")
minillm_program_test(ch01.demo.bad_option PROGRAM ch01_demo ARGS --vocab-size 12
                     LABELS "ch01;demo" FAILS
                     EXPECT "error: --vocab-size 12 is not usable")
# The lesson's code example prints what README.md says it prints.
add_test(NAME ch01.lesson.code_example COMMAND ch01_example)
set_tests_properties(ch01.lesson.code_example PROPERTIES LABELS "ch01;tokenizer;fetched"
                     PASS_REGULAR_EXPRESSION "15496 = \"Hello\"\n11 = \",\"\n995 = \" world\"\n0 = \"!\"\ndecoded: Hello, world!\nmerge \"l\" \\+ \"o\"\nmerge \"lo\" \\+ \"w\"\nmerge \" \" \\+ \"low\"\nlast id: 50256")
