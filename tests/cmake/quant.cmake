# Chapter 10 (quantization), `minillm quantize`: a tiny run trained here (width 32, so every row divides into
# blocks of 32) is quantized; the quantized folder generates and is scored; everything that needs the float
# model refuses it in one line; bad input is refused with nothing written.
set(quant_cli_out "${CMAKE_BINARY_DIR}/tests/quant-cli")
set(quant_text "${PROJECT_SOURCE_DIR}/data/text/lighthouse_story.txt")
add_test(NAME quant.cli.quantize_generate_eval
         COMMAND sh -c "set -e; rm -rf \"$2\"; \"$0\" train-tokenizer --vocab-size 300 --input \"$1\" --out \"$2/tok.bpe\" >/dev/null 2>&1; \"$0\" train --input \"$1\" --tokenizer \"$2/tok.bpe\" --out \"$2/run\" --steps 20 --layers 2 --heads 2 --width 32 --context 32 --batch 2 --sample-tokens 0 --json >/dev/null; \"$0\" quantize --checkpoint \"$2/run\" --out \"$2/q8\"; grep -c '\"format\": \"q8_0\"' \"$2/q8/config.json\"; grep -Ec '\"source_hash\": \"[0-9a-f]{16}\"' \"$2/q8/config.json\"; \"$0\" generate --checkpoint \"$2/q8\" --prompt 'The keeper' --tokens 8 --seed 3 --json; \"$0\" generate --checkpoint \"$2/q8\" --prompt 'The keeper' --tokens 8 --temperature 0; \"$0\" eval --checkpoint \"$2/run\" --input \"$1\"; \"$0\" eval --checkpoint \"$2/q8\" --input \"$1\"; echo exit status 0"
                 $<TARGET_FILE:minillm_cli> "${quant_text}" "${quant_cli_out}")
set_tests_properties(quant.cli.quantize_generate_eval PROPERTIES LABELS "ch10;cli" TIMEOUT 120
                     FIXTURES_SETUP quant_run
                     PASS_REGULAR_EXPRESSION "^wrote [^\n]*q8/config.json and [^\n]*q8/model.safetensors: q8_0, [0-9.]+ [kM]B \\(the float model: [0-9.]+ [kM]B, [0-9.]+x smaller\\)\n1\n1\n\\{\"ids\":\\[[0-9,]+\\][^\n]*\"tokens_per_second\":[0-9.e+-]+\\}\nThe keeper[^\n]*\n[^\n]*lighthouse_story.txt: [0-9]+ tokens, loss [0-9.]+ nats per token, [0-9.]+ bits per byte\n[^\n]*lighthouse_story.txt: [0-9]+ tokens, loss [0-9.]+ nats per token, [0-9.]+ bits per byte \\(q8_0 weights\\)\nexit status 0\n$")

# Each refusal: one line starting "error:", a non-zero exit, and (where a folder would be written) nothing there.
function(quant_refusal name expect)
  string(JOIN " " args ${ARGN})
  add_test(NAME quant.cli.${name}
           COMMAND sh -c "cd \"$1\" && \"$0\" ${args} 2>&1; s=$?; [ -e \"$1/nothing\" ] && echo wrote something; echo \"exit status $s\""
                   $<TARGET_FILE:minillm_cli> "${quant_cli_out}")
  set_tests_properties(quant.cli.${name} PROPERTIES LABELS "ch10;cli" FIXTURES_REQUIRED quant_run
                       PASS_REGULAR_EXPRESSION "^error: ${expect}[^\n]*\nexit status [1-9][0-9]*\n$")
endfunction()
set(use_float "'q8' is a quantized \\(q8_0\\) model, which only `minillm generate` and `minillm eval` read: use the float model it was made from \\([^\n]*run/checkpoints/step-0+20\\)")
quant_refusal(requantize "'q8' is already quantized \\(q8_0\\): quantize the float model it was made from"
              quantize --checkpoint q8 --out nothing)
quant_refusal(unknown_format "unknown --format 'q4_0': minillm quantizes to q8_0"
              quantize --checkpoint run --out nothing --format q4_0)
quant_refusal(export "${use_float}" export --checkpoint q8 --hf nothing)
quant_refusal(init_from "${use_float}"
              train --input ${quant_text} --tokenizer tok.bpe --out nothing --init-from q8 --steps 1)
quant_refusal(resume "${use_float}" train --input ${quant_text} --tokenizer tok.bpe --out q8 --resume)
quant_refusal(index_build "${use_float}" index build --input ${quant_text} --checkpoint q8 --out nothing)
quant_refusal(over_the_source "--out '[^']*' is the float model's own folder"
              quantize --checkpoint run --out run/checkpoints/step-000020)

# A model whose width (48) does not divide into blocks of 32: refused, naming the tensor, nothing written.
add_test(NAME quant.cli.width_not_a_multiple_of_32
         COMMAND sh -c "set -e; rm -rf \"$2\"; \"$0\" train-tokenizer --vocab-size 300 --input \"$1\" --out \"$2/tok.bpe\" >/dev/null 2>&1; \"$0\" train --input \"$1\" --tokenizer \"$2/tok.bpe\" --out \"$2/run\" --steps 1 --layers 1 --heads 2 --width 48 --context 16 --batch 2 --sample-tokens 0 --json >/dev/null; set +e; \"$0\" quantize --checkpoint \"$2/run\" --out \"$2/q8\" 2>&1; s=$?; [ -e \"$2/q8\" ] && echo wrote something; echo \"exit status $s\""
                 $<TARGET_FILE:minillm_cli> "${quant_text}" "${CMAKE_BINARY_DIR}/tests/quant-cli-48")
set_tests_properties(quant.cli.width_not_a_multiple_of_32 PROPERTIES LABELS "ch10;cli" TIMEOUT 60
                     PASS_REGULAR_EXPRESSION "^error: wte.weight: its rows hold 48 values, not a multiple of Q8_0's block of 32[^\n]*\nexit status [1-9][0-9]*\n$")

# A damaged quantized folder: the weights file cut short. generate refuses it in one line.
add_test(NAME quant.cli.truncated_file
         COMMAND sh -c "set -e; rm -rf \"$1/cut\"; cp -r \"$1/q8\" \"$1/cut\"; f=\"$1/cut/model.safetensors\"; head -c $(( $(wc -c < \"$f\") - 64 )) \"$f\" > \"$f.tmp\"; mv \"$f.tmp\" \"$f\"; set +e; \"$0\" generate --checkpoint \"$1/cut\" --prompt x 2>&1; echo \"exit status $?\""
                 $<TARGET_FILE:minillm_cli> "${quant_cli_out}")
set_tests_properties(quant.cli.truncated_file PROPERTIES LABELS "ch10;cli" FIXTURES_REQUIRED quant_run
                     PASS_REGULAR_EXPRESSION "^error: [^\n]*cut/model.safetensors: tensor '[^']+' has data_offsets [^\n]*outside the file[^\n]*\\(truncated file\\?\\)\nexit status [1-9][0-9]*\n$")

# eval --compare: the quantized model against its float source, through the decoder: one JSON line.
add_test(NAME quant.cli.eval_compare
         COMMAND sh -c "\"$0\" eval --checkpoint \"$2/q8\" --compare \"$2/run\" --input \"$1\" --json 2>&1; echo \"exit status $?\""
                 $<TARGET_FILE:minillm_cli> "${quant_text}" "${quant_cli_out}")
set_tests_properties(quant.cli.eval_compare PROPERTIES LABELS "ch10;cli" FIXTURES_REQUIRED quant_run TIMEOUT 60
                     PASS_REGULAR_EXPRESSION "^\\{\"bits_per_byte\":[0-9.]+,\"bits_per_byte_change_percent\":[-0-9.e]+,\"max_kl\":[0-9.e-]+,\"mean_kl\":[0-9.e-]+,\"reference_bits_per_byte\":[0-9.]+,\"tokens\":1527,\"top1_agreement\":(0\\.9[0-9]*|1\\.0)\\}\nexit status 0\n$")

# The chapter's demo, smoke run: every step says what it did, and the picture is written.
minillm_program_test(ch10.demo.smoke PROGRAM ch10_demo ARGS --smoke --out "${CMAKE_BINARY_DIR}/tests/ch10-smoke"
                     LABELS "ch10;demo" TIMEOUT 120
                     EXPECT "Step 1/3.*relative error [0-9.]+%.*As a picture: [^\n]*ch10_error_by_block_smoke.png.*Step 2/3.*bits per byte: float32 [0-9.]+, Q8_0 [0-9.]+.*KL divergence[^\n]*mean [0-9.]+ nats.*the same at [0-9.]+% of positions.*Step 3/3.*float32 [0-9]+ tokens/s, Q8_0 [0-9]+ tokens/s")
