# Bad input through the CLI, as a user would give it: sizes that cannot fit, files that are not what they
# claim, inputs that are not text. Each must end in one "error: ..." line and a non-zero exit, never a crash,
# std::bad_alloc or a silent wrong result. docs/reliability.md lists these tests beside the inputs they cover.
set(reliability_out "${CMAKE_BINARY_DIR}/tests/reliability")
set(reliability_text "${PROJECT_SOURCE_DIR}/data/text/lighthouse_story.txt")

# `minillm train --width 65536 --layers 64` used to end in "error: std::bad_alloc".
add_test(NAME reliability.cli.train_model_too_large_for_memory
         COMMAND sh -c "mkdir -p \"$2\" && \"$0\" train-tokenizer --vocab-size 300 --input \"$1\" --out \"$2/tok.bpe\" >/dev/null && \"$0\" train --input \"$1\" --tokenizer \"$2/tok.bpe\" --out \"$2/huge\" --steps 1 --width 65536 --layers 64 2>&1; echo \"exit status $?\""
                 $<TARGET_FILE:minillm_cli> "${reliability_text}" "${reliability_out}/huge")
set_tests_properties(reliability.cli.train_model_too_large_for_memory PROPERTIES LABELS "reliability;cli"
                     PASS_REGULAR_EXPRESSION "error: this model needs 13 TB for its parameters alone, 66 TB with gradients and AdamW's state, and [0-9.]+ TB to train on batches of 16 x 128 tokens; this machine has [0-9.]+ [kMGT]B available \\(of [0-9.]+ [kMGT]B\\): choose a smaller --width, --layers, --context or --batch\nexit status 1\n$")

# A .bpe file cut in half at a line boundary used to load with half its merges.
add_test(NAME reliability.cli.tokenizer_file_cut_short
         COMMAND sh -c "mkdir -p \"$2\" && \"$0\" train-tokenizer --vocab-size 300 --input \"$1\" --out \"$2/tok.bpe\" >/dev/null && head -n 30 \"$2/tok.bpe\" > \"$2/cut.bpe\" && \"$0\" tokenize -e \"$2/cut.bpe\" 'The keeper' 2>&1; echo \"exit status $?\""
                 $<TARGET_FILE:minillm_cli> "${reliability_text}" "${reliability_out}/cut")
set_tests_properties(reliability.cli.tokenizer_file_cut_short PROPERTIES LABELS "reliability;cli;ch01"
                     PASS_REGULAR_EXPRESSION "error: [^\n]*cut.bpe: the file says it has 43 merges but 26 are there: it is cut short; train it again[^\n]*\nexit status 1\n$")

# `minillm embed train` on binary data used to keep a few junk "words" and exit 0.
add_test(NAME reliability.cli.embed_train_refuses_binary_input
         COMMAND sh -c "\"$0\" embed train --input \"$0\" --out \"$1/never.txt\" 2>&1; echo \"exit status $?\""
                 $<TARGET_FILE:minillm_cli> "${reliability_out}")
set_tests_properties(reliability.cli.embed_train_refuses_binary_input PROPERTIES LABELS "reliability;cli;ch02"
                     PASS_REGULAR_EXPRESSION "error: [^\n]*minillm is not text: it has [0-9]+ NUL bytes \\(the first at byte [0-9]+\\), so it is binary data; give a plain text file\nexit status 1\n$")
add_test(NAME reliability.cli.embed_train_says_when_too_few_words_survive
         COMMAND sh -c "\"$0\" embed train --input \"$1\" --out \"$2/never.txt\" --min-count 1000 2>&1; echo \"exit status $?\""
                 $<TARGET_FILE:minillm_cli> "${reliability_text}" "${reliability_out}")
set_tests_properties(reliability.cli.embed_train_says_when_too_few_words_survive PROPERTIES LABELS "reliability;cli;ch02"
                     PASS_REGULAR_EXPRESSION "error: [^\n]*lighthouse_story.txt: only [0-9] distinct words? occurs? at least --min-count 1000 times \\(of [0-9]+ words read, [0-9]+ distinct\\); word vectors need at least 10: give a longer text or a lower --min-count\nexit status 1\n$")

# --heads must divide --width (each head gets width/heads channels).
add_test(NAME reliability.cli.train_heads_must_divide_width
         COMMAND sh -c "mkdir -p \"$2\" && \"$0\" train-tokenizer --vocab-size 300 --input \"$1\" --out \"$2/tok.bpe\" >/dev/null && \"$0\" train --input \"$1\" --tokenizer \"$2/tok.bpe\" --out \"$2/run\" --steps 1 --heads 3 --width 16 --context 16 2>&1; echo \"exit status $?\""
                 $<TARGET_FILE:minillm_cli> "${reliability_text}" "${reliability_out}/heads")
set_tests_properties(reliability.cli.train_heads_must_divide_width PROPERTIES LABELS "reliability;cli"
                     PASS_REGULAR_EXPRESSION "error: GPT config: n_embd \\(16\\) must be a positive multiple of n_head \\(3\\) so every head gets n_embd/n_head channels\nexit status 1\n$")
