# Bad input through the CLI, as a user would give it: sizes that cannot fit, files that are not what they
# claim, inputs that are not text. Each must end in one "error: ..." line and a non-zero exit, never a crash,
# std::bad_alloc or a silent wrong result. docs/reliability.md lists these tests beside the inputs they cover.
set(reliability_out "${CMAKE_BINARY_DIR}/tests/reliability")
set(reliability_text "${PROJECT_SOURCE_DIR}/data/text/lighthouse_story.txt")

# A small tokenizer for the training tests below, and a copy of its file cut short at a line boundary.
add_test(NAME reliability.setup.tokenizer
         COMMAND sh -c "mkdir -p \"$2\" && \"$0\" train-tokenizer --vocab-size 300 --input \"$1\" --out \"$2/tok.bpe\" >/dev/null && head -n 30 \"$2/tok.bpe\" > \"$2/cut.bpe\""
                 $<TARGET_FILE:minillm_cli> "${reliability_text}" "${reliability_out}")
set_tests_properties(reliability.setup.tokenizer PROPERTIES LABELS "reliability;cli" FIXTURES_SETUP reliability_tokenizer)

# `minillm train --width 65536 --layers 64` used to end in "error: std::bad_alloc".
minillm_program_test(reliability.cli.train_model_too_large_for_memory PROGRAM minillm_cli FAILS
  ARGS train --input "${reliability_text}" --tokenizer "${reliability_out}/tok.bpe" --out "${reliability_out}/huge"
       --steps 1 --width 65536 --layers 64
  FIXTURES reliability_tokenizer LABELS "reliability;cli"
  EXPECT "error: this model needs 13 TB for its parameters alone, 53 TB with gradients and AdamW's state, and [0-9.]+ TB to train on batches of 16 x 128 tokens; this machine has [0-9.]+ [kMGT]B available \\(of [0-9.]+ [kMGT]B\\): choose a smaller --width, --layers, --context or --batch\n")

# A .bpe file cut in half at a line boundary used to load with half its merges.
minillm_program_test(reliability.cli.tokenizer_file_cut_short PROGRAM minillm_cli FAILS
  ARGS tokenize -e "${reliability_out}/cut.bpe" "The keeper"
  FIXTURES reliability_tokenizer LABELS "reliability;cli;ch01"
  EXPECT "error: [^\n]*cut.bpe: the file says it has 43 merges but 26 are there: it is cut short; train it again[^\n]*\n")

# `minillm embed train` on binary data used to keep a few junk "words" and exit 0.
minillm_program_test(reliability.cli.embed_train_refuses_binary_input PROGRAM minillm_cli FAILS
  ARGS embed train --input $<TARGET_FILE:minillm_cli> --out "${reliability_out}/never.txt"
  LABELS "reliability;cli;ch02"
  EXPECT "error: [^\n]*minillm is not text: it has [0-9]+ NUL bytes \\(the first at byte [0-9]+\\), so it is binary data; give a plain text file\n")
minillm_program_test(reliability.cli.embed_train_says_when_too_few_words_survive PROGRAM minillm_cli FAILS
  ARGS embed train --input "${reliability_text}" --out "${reliability_out}/never.txt" --min-count 1000
  LABELS "reliability;cli;ch02"
  EXPECT "error: [^\n]*lighthouse_story.txt: only [0-9] distinct words? occurs? at least --min-count 1000 times \\(of [0-9]+ words read, [0-9]+ distinct\\); word vectors need at least 10: give a longer text or a lower --min-count\n")

# --heads must divide --width (each head gets width/heads channels).
minillm_program_test(reliability.cli.train_heads_must_divide_width PROGRAM minillm_cli FAILS
  ARGS train --input "${reliability_text}" --tokenizer "${reliability_out}/tok.bpe" --out "${reliability_out}/run"
       --steps 1 --heads 3 --width 16 --context 16
  FIXTURES reliability_tokenizer LABELS "reliability;cli"
  EXPECT "error: GPT config: n_embd \\(16\\) must be a positive multiple of n_head \\(3\\) so every head gets n_embd/n_head channels\n")
