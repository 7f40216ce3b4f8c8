# LoRA fine-tuning (chapter 09), `minillm train --init-from DIR --lora-rank R`, as a learner runs it, on the
# fine-tuning tests' tiny model (tests/cmake/finetune.cmake's base-hf): the run says what it trains and what
# freezing saves, its checkpoint holds the adapter only, generate and eval find the base through it, its
# merged export scores what the run scores, it resumes, and a base that changed is refused in one line.
set(lora_out "${CMAKE_BINARY_DIR}/tests/lora-cli")
add_test(NAME lora.cli.train_generate_eval_export
         COMMAND ${CMAKE_COMMAND} -E env sh -c
                 "set -e; m=\"$0\"; rm -rf \"$3\"; mkdir -p \"$3\"
                  \"$m\" train --init-from \"$2/base-hf\" --input \"$1\" --out \"$3/run\" --steps 10 --lr 1e-2 --lora-rank 4 --sample-tokens 0
                  dir=\"$3/run/$(cat \"$3/run/latest\")\"
                  [ -f \"$dir/adapter.safetensors\" ] && [ ! -e \"$dir/model.safetensors\" ] && echo checkpoint holds the adapter only
                  \"$m\" generate --checkpoint \"$3/run\" --prompt the --tokens 4 --json >/dev/null && echo generated from the adapter
                  run=$(\"$m\" eval --checkpoint \"$3/run\" --input \"$1\" --json)
                  \"$m\" export --checkpoint \"$3/run\" --hf \"$3/merged\" --merge-lora
                  merged=$(\"$m\" eval --checkpoint \"$3/merged\" --input \"$1\" --json)
                  [ \"$run\" = \"$merged\" ] && echo \"same loss from the adapter and its merged export: $run\"
                  \"$m\" train --out \"$3/run\" --resume --steps 12 --sample-tokens 0 --json"
                 $<TARGET_FILE:minillm_cli> "${finetune_text}" "${finetune_out}" "${lora_out}")
set_tests_properties(lora.cli.train_generate_eval_export PROPERTIES LABELS "ch09;cli" TIMEOUT 180
                     FIXTURES_REQUIRED finetune_run FIXTURES_SETUP lora_run
                     PASS_REGULAR_EXPRESSION "Memory: [^\n]*LoRA: the frozen weights hold no gradients and no AdamW moments, [0-9.]+ [kMG]?B less than training every weight\\.\n.*LoRA rank 4 \\(alpha 16, scale 4\\) on attn.c_attn, attn.c_proj, mlp.c_fc and mlp.c_proj of all 1 blocks: [0-9]+ trainable parameters, [0-9.]+% of the model's[^\n]*\n.*checkpoint holds the adapter only\ngenerated from the adapter\nwrote [^\n]*merged/config.json [^\n]*the LoRA adapter merged into its base\\)\nsame loss from the adapter and its merged export: \\{\"bits_per_byte\":[0-9.]+,\"loss\":[0-9.]+,\"tokens\":[0-9]+\\}\n.*\\{[^\n]*\"steps\":12,")

# Each refusal is one line that names the problem and what to do (and exits non-zero).
minillm_program_test(lora.cli.export_needs_merge_lora PROGRAM minillm_cli
                     ARGS export --checkpoint "${lora_out}/run" --hf "${lora_out}/unmerged"
                     LABELS "ch09;cli" FIXTURES lora_run FAILS
                     EXPECT "^error: [^\n]*lora-cli/run is a LoRA adapter \\(its base model is not in it\\): give --merge-lora")
minillm_program_test(lora.cli.merge_lora_needs_an_adapter PROGRAM minillm_cli
                     ARGS export --checkpoint "${finetune_out}/base-hf" --hf "${lora_out}/not-lora" --merge-lora
                     LABELS "ch09;cli" FIXTURES lora_run FAILS
                     EXPECT "^error: --merge-lora: [^\n]*base-hf is not a LoRA run or adapter")
minillm_program_test(lora.cli.needs_init_from PROGRAM minillm_cli
                     ARGS train --input "${finetune_text}" --steps 2 --out "${lora_out}/no-source" --lora-rank 4
                     LABELS "ch09;cli" FAILS
                     EXPECT "^error: --lora-rank 4: LoRA adapts a trained model, so give the one to start from \\(--init-from MODEL\\)\n")
# The base trained on after the adapter was made: generate, eval and --resume refuse it, naming both hashes.
add_test(NAME lora.cli.base_changed_is_refused
         COMMAND ${CMAKE_COMMAND} -E env sh -c
                 "set -e; m=\"$0\"; rm -rf \"$3/base2\" \"$3/run2\"; cp -r \"$2/base-hf\" \"$3/base2\"
                  \"$m\" train --init-from \"$3/base2\" --input \"$1\" --out \"$3/run2\" --steps 2 --lora-rank 2 --sample-tokens 0 --json >/dev/null
                  \"$m\" train --init-from \"$2/base-hf\" --input \"$1\" --out \"$3/base2-tuned\" --steps 2 --sample-tokens 0 --json >/dev/null
                  \"$m\" export --checkpoint \"$3/base2-tuned\" --hf \"$3/base2\" >/dev/null
                  for cmd in generate eval train; do
                    case $cmd in generate) args=\"--checkpoint $3/run2\";; eval) args=\"--checkpoint $3/run2 --input $1\";; train) args=\"--out $3/run2 --resume --steps 4\";; esac
                    \"$m\" $cmd $args 2>&1 | grep '^error: ' || echo \"$cmd did not refuse\"
                  done"
                 $<TARGET_FILE:minillm_cli> "${finetune_text}" "${finetune_out}" "${lora_out}")
set(lora_refusal "error: [^\n]*run2/checkpoints/step-000002 is a LoRA adapter for the base model [^\n]*base2, whose model.safetensors has changed since \\(hash [0-9a-f]+, the adapter's [0-9a-f]+\\): [^\n]*train the adapter again\n")
set_tests_properties(lora.cli.base_changed_is_refused PROPERTIES LABELS "ch09;cli" TIMEOUT 120
                     FIXTURES_REQUIRED "finetune_run;lora_run"
                     PASS_REGULAR_EXPRESSION "^${lora_refusal}${lora_refusal}${lora_refusal}$")  # generate, eval, --resume

# `classify train --lora-rank R` (tests/cmake/classify.cmake's tiny GPT and labelled files): the head and the
# adapters train, the GPT stays frozen, the kept classifier's backbone is the adapter alone (naming its base),
# and classify eval finds the base through it.
add_test(NAME lora.cli.classify_train_eval
         COMMAND sh -c
                 "set -e; m=\"$0\"; d=\"$1\"; o=\"$2\"; rm -rf \"$o/clf-lora\"
                  \"$m\" classify train --init-from \"$o/base\" --input \"$d/train.tsv\" --val \"$d/val.tsv\" --out \"$o/clf-lora\" --epochs 2 --lr 3e-3 --lora-rank 4
                  b=\"$o/clf-lora/$(cat \"$o/clf-lora/latest\")/backbone\"
                  [ -f \"$b/adapter.safetensors\" ] && [ ! -e \"$b/model.safetensors\" ] && echo backbone holds the adapter only
                  \"$m\" classify eval --checkpoint \"$o/clf-lora\" --input \"$d/val.tsv\" --json"
                 $<TARGET_FILE:minillm_cli> "${classify_data}" "${classify_out}")
set_tests_properties(lora.cli.classify_train_eval PROPERTIES LABELS "ch09;cli" TIMEOUT 120 FIXTURES_REQUIRED classify_run
                     PASS_REGULAR_EXPRESSION "training the head and rank-4 LoRA adapters on every block \\([0-9]+ of [0-9]+ parameters\\).*epoch 2: .*backbone holds the adapter only\n\\{\"accuracy\":[0-9.e-]+,")
minillm_program_test(lora.cli.classify_lora_with_unfreeze PROGRAM minillm_cli
                     ARGS classify train --init-from "${classify_out}/base" --input "${classify_data}/train.tsv"
                          --val "${classify_data}/val.tsv" --out "${classify_out}/refused-lora" --lora-rank 4 --unfreeze 1
                     LABELS "ch09;cli" FIXTURES classify_run FAILS
                     EXPECT "^error: --lora-rank 4 with --unfreeze 1: LoRA trains adapters on every block and the head, with the GPT frozen; drop --unfreeze\n")
