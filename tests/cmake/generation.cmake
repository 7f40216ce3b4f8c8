# Chapter 07 (generation): the demo's smoke run (a tiny model trained on the project's own texts, no
# downloads) and its error for a bad option.
minillm_program_test(ch07.demo.smoke PROGRAM ch07_demo ARGS --smoke --out "${CMAKE_BINARY_DIR}/tests/ch07-smoke"
                     LABELS "ch07;demo" TIMEOUT 120
                     EXPECT "Top-p 0.95 keeps [0-9]+ at T=0.5, [0-9]+ at T=1, [0-9]+ at T=1.5.*as a picture: [^\n]*next_token.png.*Greedy.*Sampled.*tokens/s")
minillm_program_test(ch07.demo.bad_option PROGRAM ch07_demo ARGS --temperature 2
                     LABELS "ch07;demo" FAILS
                     EXPECT "error: unknown option '--temperature'")

# minillm generate / eval / export: a tiny run trained here, exported as a Hugging Face GPT-2 folder; the
# export must generate the same ids and score the same loss as the run (the JSON lines compared, minus the
# timings), and generate --json must print ids, text, prefill_ms and tokens_per_second.
set(generation_cli_out "${CMAKE_BINARY_DIR}/tests/generation-cli")
add_test(NAME generation.cli.export_generate_eval_json
         COMMAND ${CMAKE_COMMAND} -E env sh -c
                 "set -e; rm -rf \"$2\"; \"$0\" train-tokenizer --vocab-size 300 --input \"$1\" --out \"$2/tok.bpe\" >/dev/null; \"$0\" train --input \"$1\" --tokenizer \"$2/tok.bpe\" --out \"$2/run\" --steps 4 --layers 1 --heads 2 --width 16 --context 16 --batch 2 --sample-tokens 0 --json >/dev/null; \"$0\" export --checkpoint \"$2/run\" --hf \"$2/hf\"; a=$(\"$0\" generate --checkpoint \"$2/run\" --prompt 'The keeper' --tokens 20 --temperature 0.9 --top-k 40 --seed 5 --json); b=$(\"$0\" generate --checkpoint \"$2/hf\" --prompt 'The keeper' --tokens 20 --temperature 0.9 --top-k 40 --seed 5 --json); echo \"$a\"; [ \"$(echo \"$a\" | sed 's/,.prefill_ms.*//')\" = \"$(echo \"$b\" | sed 's/,.prefill_ms.*//')\" ] && echo same ids from run and export; c=$(\"$0\" eval --checkpoint \"$2/run\" --input \"$1\" --json); d=$(\"$0\" eval --checkpoint \"$2/hf\" --input \"$1\" --json); echo \"$c\"; [ \"$c\" = \"$d\" ] && echo same loss from run and export"
                 $<TARGET_FILE:minillm_cli> "${PROJECT_SOURCE_DIR}/data/text/lighthouse_story.txt" "${generation_cli_out}")
set_tests_properties(generation.cli.export_generate_eval_json PROPERTIES LABELS "ch07;cli" TIMEOUT 120
                     FIXTURES_SETUP generation_run
                     PASS_REGULAR_EXPRESSION "wrote [^\n]*hf/config.json and [^\n]*model.safetensors.*\\{\"ids\":\\[[0-9,]+\\],\"prefill_ms\":[0-9.e+-]+,\"stopped_at_end_of_text\":(true|false),\"text\":\"[^\n]*\",\"tokens_per_second\":[0-9.e+-]+\\}\nsame ids from run and export\n\\{\"bits_per_byte\":[0-9.]+,\"loss\":[0-9.]+,\"tokens\":[0-9]+\\}\nsame loss from run and export")
add_test(NAME generation.cli.damaged_folder COMMAND sh -c "\"$0\" \"$@\" 2>&1; echo \"exit status $?\"" $<TARGET_FILE:minillm_cli> generate --checkpoint "${PROJECT_SOURCE_DIR}/tests/fixtures/hf_gpt2" --prompt x)
set_tests_properties(generation.cli.damaged_folder PROPERTIES LABELS "ch07;cli"
                     PASS_REGULAR_EXPRESSION "^error: [^\n]*hf_gpt2' is not a model folder \\(no config.json\\)[^\n]*\nexit status [1-9][0-9]*\n$")
# --interactive keeps the cache between turns: two lines typed, two continuations, the cache grows.
add_test(NAME generation.cli.interactive
         COMMAND ${CMAKE_COMMAND} -E env sh -c "printf 'The keeper\\nthe light\\n' | \"$0\" generate --checkpoint \"$1/run\" --interactive --tokens 4 --temperature 0; echo \"exit status $?\""
                 $<TARGET_FILE:minillm_cli> "${generation_cli_out}")
set_tests_properties(generation.cli.interactive PROPERTIES LABELS "ch07;cli" FIXTURES_REQUIRED generation_run
                     PASS_REGULAR_EXPRESSION "^> .*\\[[0-9]+ tokens in the cache\\]\n> .*\\[[0-9]+ tokens in the cache\\]\n> exit status 0\n$")
# A run trained with a relative tokenizer path generates from any folder: its config.json names the
# tokenizer file by an absolute path.
add_test(NAME generation.cli.run_works_from_another_folder
         COMMAND sh -c "set -e; rm -rf \"$2\"; mkdir -p \"$2/a\" \"$2/b\"; cd \"$2/a\"; \"$0\" train-tokenizer --vocab-size 300 --input \"$1\" --out tok.bpe >/dev/null; \"$0\" train --input \"$1\" --tokenizer tok.bpe --out run --steps 2 --layers 1 --heads 2 --width 16 --context 16 --batch 2 --sample-tokens 0 --json >/dev/null; cd \"$2/b\"; \"$0\" generate --checkpoint ../a/run --prompt 'The keeper' --tokens 3 --temperature 0 --json 2>&1; echo \"exit status $?\""
                 $<TARGET_FILE:minillm_cli> "${PROJECT_SOURCE_DIR}/data/text/lighthouse_story.txt" "${CMAKE_BINARY_DIR}/tests/generation-cwd")
set_tests_properties(generation.cli.run_works_from_another_folder PROPERTIES LABELS "ch07;cli" TIMEOUT 120
                     PASS_REGULAR_EXPRESSION "\\{\"ids\":\\[[0-9,]+\\][^\n]*\\}\nexit status 0\n$")
