# Fine-tuning, `minillm train --init-from DIR` (chapter 07), as a learner runs it, on the project's own texts:
# a tiny model trained on one story and exported as a Hugging Face GPT-2 folder is fine-tuned on another text.
# The loss on that text must fall (eval before and after), the fine-tuned run must score the same as its own
# export, remember where it started, and resume like any run.
set(finetune_out "${CMAKE_BINARY_DIR}/tests/finetune-cli")
set(finetune_base_text "${PROJECT_SOURCE_DIR}/data/text/lighthouse_story.txt")
set(finetune_text "${PROJECT_SOURCE_DIR}/data/text/how_models_read.txt")
add_test(NAME finetune.cli.hf_round_trip
         COMMAND ${CMAKE_COMMAND} -E env sh -c
                 "set -e; m=\"$0\"; rm -rf \"$3\"
                  \"$m\" train-tokenizer --vocab-size 300 --input \"$1\" --out \"$3/tok.bpe\" >/dev/null
                  \"$m\" train --input \"$1\" --tokenizer \"$3/tok.bpe\" --out \"$3/base\" --steps 30 --layers 1 --heads 2 --width 16 --context 16 --batch 8 --lr 1e-2 --sample-tokens 0 --json >/dev/null
                  \"$m\" export --checkpoint \"$3/base\" --hf \"$3/base-hf\" >/dev/null
                  before=$(\"$m\" eval --checkpoint \"$3/base-hf\" --input \"$2\" --json)
                  \"$m\" train --init-from \"$3/base-hf\" --input \"$2\" --out \"$3/ft\" --steps 30 --lr 1e-2 --sample-tokens 0
                  after=$(\"$m\" eval --checkpoint \"$3/ft\" --input \"$2\" --json)
                  echo \"$before $after\" | sed 's/[{}]//g; s/,/ /g; s/\"loss\"://g' | awk '{ if ($5 < $2) print \"loss fell from \" $2 \" to \" $5; else print \"loss did not fall: \" $2 \" -> \" $5 }'
                  \"$m\" export --checkpoint \"$3/ft\" --hf \"$3/ft-hf\" >/dev/null
                  exported=$(\"$m\" eval --checkpoint \"$3/ft-hf\" --input \"$2\" --json)
                  [ \"$after\" = \"$exported\" ] && echo \"same loss from the run and its export: $after\"
                  grep -q \"\\\"init_from\\\": \\\"$3/base-hf\\\"\" \"$3/ft/$(cat \"$3/ft/latest\")/state.json\" && echo init_from recorded
                  \"$m\" train --out \"$3/ft\" --resume --steps 34 --sample-tokens 0 --json"
                 $<TARGET_FILE:minillm_cli> "${finetune_base_text}" "${finetune_text}" "${finetune_out}")
set_tests_properties(finetune.cli.hf_round_trip PROPERTIES LABELS "ch07;cli" TIMEOUT 180 FIXTURES_SETUP finetune_run
                     PASS_REGULAR_EXPRESSION "Fine-tuning's default batch: 16 sequences of 16 tokens.*Memory: [^\n]* to train on batches of 16 x 16 tokens.*Fine-tuning from the Hugging Face GPT-2 folder [^\n]*base-hf.*\nloss fell from [0-9.]+ to [0-9.]+\nsame loss from the run and its export: \\{\"bits_per_byte\":[0-9.]+,\"loss\":[0-9.]+,\"tokens\":[0-9]+\\}\ninit_from recorded\n\\{[^\n]*\"steps\":34,")

# A minillm run as the source (its `latest` file named directly), with the context cropped: the export of the
# fine-tuned run has 8 positions.
add_test(NAME finetune.cli.crop_context
         COMMAND ${CMAKE_COMMAND} -E env sh -c
                 "set -e; \"$0\" train --init-from \"$2/base/latest\" --context 8 --input \"$1\" --out \"$2/crop\" --steps 2 --sample-tokens 0; \"$0\" export --checkpoint \"$2/crop\" --hf \"$2/crop-hf\" >/dev/null; grep '\"n_positions\"' \"$2/crop-hf/config.json\""
                 $<TARGET_FILE:minillm_cli> "${finetune_text}" "${finetune_out}")
set_tests_properties(finetune.cli.crop_context PROPERTIES LABELS "ch07;cli" FIXTURES_REQUIRED finetune_run
                     PASS_REGULAR_EXPRESSION "Fine-tuning's default batch: 16 sequences of 8 tokens.*Fine-tuning from the minillm checkpoint [^\n]*base/checkpoints/step-000030 [^\n]*: its context of 16 positions cropped to 8 \\(the first 8 rows of wpe are kept\\).*\"n_positions\": 8")

# Each refusal is one line naming the problem (and exits non-zero).
function(finetune_error name expect)
  add_test(NAME finetune.cli.${name}
           COMMAND sh -c "m=\"$0\"; text=\"$1\"; out=\"$2\"; shift 2; \"$m\" train --input \"$text\" --steps 2 --out \"$out/error-run\" \"$@\" 2>&1; echo \"exit status $?\""
                   $<TARGET_FILE:minillm_cli> "${finetune_text}" "${finetune_out}" ${ARGN})
  set_tests_properties(finetune.cli.${name} PROPERTIES LABELS "ch07;cli" FIXTURES_REQUIRED finetune_run
                       PASS_REGULAR_EXPRESSION "^error: ${expect}[^\n]*\nexit status [1-9][0-9]*\n$")
endfunction()
finetune_error(layers_disagree "--layers 3 differs from the model in [^\n]*base-hf, which has 1 \\(n_layer in its config.json\\)[^\n]*drop --layers"
               --init-from "${finetune_out}/base-hf" --layers 3)
finetune_error(context_too_long "--context 32 is longer than the 16 positions the model in [^\n]*base-hf has learned"
               --init-from "${finetune_out}/base-hf" --context 32)
finetune_error(with_resume "--init-from and --resume together: [^\n]*Give one of them"
               --init-from "${finetune_out}/base-hf" --resume)
finetune_error(missing_folder "--init-from: '/nonexistent/model' does not exist"
               --init-from /nonexistent/model)
finetune_error(not_a_model "--init-from: '[^\n]*tests/fixtures/hf_gpt2' is not a model folder \\(no config.json\\)"
               --init-from "${PROJECT_SOURCE_DIR}/tests/fixtures/hf_gpt2")
finetune_error(no_tokenizer_named "[^\n]*hf_gpt2/tiny/config.json names no tokenizer \\('minillm_tokenizer'\\) and its vocabulary of 97 is not GPT-2's: give the tokenizer"
               --init-from "${PROJECT_SOURCE_DIR}/tests/fixtures/hf_gpt2/tiny" --tokenizer "${finetune_out}/tok.bpe")
# A folder whose weights are cut short (a download that stopped): named before any training starts.
add_test(NAME finetune.cli.truncated_weights
         COMMAND sh -c "rm -rf \"$2/cut\"; cp -r \"$2/base-hf\" \"$2/cut\"; head -c 1000 \"$2/base-hf/model.safetensors\" > \"$2/cut/model.safetensors\"; \"$0\" train --init-from \"$2/cut\" --input \"$1\" --steps 2 --out \"$2/cut-run\" 2>&1; echo \"exit status $?\""
                 $<TARGET_FILE:minillm_cli> "${finetune_text}" "${finetune_out}")
set_tests_properties(finetune.cli.truncated_weights PROPERTIES LABELS "ch07;cli" FIXTURES_REQUIRED finetune_run
                     PASS_REGULAR_EXPRESSION "^error: --init-from: [^\n]*cut/model.safetensors[^\n]*\nexit status [1-9][0-9]*\n$")
