# Chapters 05-06: the GPT, its training loop and the CLI, run as a learner would (no downloads).
minillm_program_test(ch06.demo.smoke PROGRAM ch06_demo ARGS --smoke --out "${CMAKE_BINARY_DIR}/tests/ch06-smoke"
                     LABELS "ch06;demo" TIMEOUT 120
                     EXPECT "validation loss.*bits per byte.*A sample of 30 tokens.*Nearest neighbours.*same map as a picture: [^\n]*token_map.png")
minillm_program_test(ch06.demo.bad_option PROGRAM ch06_demo ARGS --minutes zero
                     LABELS "ch06;demo" FAILS
                     EXPECT "error: --minutes zero is not usable: give a positive number of minutes, e.g. 5")

# minillm train -> generate -> eval on the project's own text with a tokenizer trained on it.
set(train_cli_out "${CMAKE_BINARY_DIR}/tests/train-cli")
set(train_cli_text "${PROJECT_SOURCE_DIR}/data/text/lighthouse_story.txt")
add_test(NAME train.cli.train_generate_eval
         COMMAND ${CMAKE_COMMAND} -E env sh -c
                 "rm -rf \"$2\" && \"$0\" train-tokenizer --vocab-size 300 --input \"$1\" --out \"$2/tok.bpe\" >/dev/null && \"$0\" train --input \"$1\" --tokenizer \"$2/tok.bpe\" --out \"$2/run\" --steps 6 --layers 1 --heads 2 --width 16 --context 16 --batch 2 --json && \"$0\" generate --checkpoint \"$2/run\" --prompt 'The keeper' --tokens 5 --seed 3 && \"$0\" eval --checkpoint \"$2/run\" --input \"$1\""
                 $<TARGET_FILE:minillm_cli> "${train_cli_text}" "${train_cli_out}")
set_tests_properties(train.cli.train_generate_eval PROPERTIES LABELS "ch06;cli"
                     PASS_REGULAR_EXPRESSION "\"steps\":6.*\"val_bits_per_byte\".*The keeper.*loss [0-9.]+ nats per token, [0-9.]+ bits per byte")
minillm_program_test(train.cli.generate_without_checkpoint PROGRAM minillm_cli ARGS generate --checkpoint /nonexistent/run
                     LABELS "ch06;cli" FAILS
                     EXPECT "error: '/nonexistent/run' does not exist")
add_test(NAME train.cli.bad_config_key
         COMMAND ${CMAKE_COMMAND} -E env sh -c "echo '{\"learning_rate\": 1}' > \"$1\" && \"$0\" train --config \"$1\" --input x"
                 $<TARGET_FILE:minillm_cli> "${CMAKE_BINARY_DIR}/tests/train-bad-config.json")
set_tests_properties(train.cli.bad_config_key PROPERTIES LABELS "ch06;cli"
                     PASS_REGULAR_EXPRESSION "error: training config: unknown key 'learning_rate'")

# Chapter 05 demo: parameter table, FLOPs per token, an untrained forward/backward (tiny model).
minillm_program_test(ch05.demo.smoke PROGRAM ch05_demo ARGS --smoke
                     LABELS "ch05;demo" TIMEOUT 60
                     EXPECT "Total: 36096 parameters.*Its loss is [0-9.]+; uniform guessing")
minillm_program_test(ch05.demo.bad_option PROGRAM ch05_demo ARGS --big
                     LABELS "ch05;demo" FAILS
                     EXPECT "error: unknown option '--big'")

# Ctrl-C (SIGINT) during `minillm train` saves a checkpoint and says how to continue.
add_test(NAME train.cli.ctrl_c_saves_a_checkpoint
         COMMAND ${CMAKE_COMMAND} -E env sh -c
                 "rm -rf \"$2\" && \"$0\" train-tokenizer --vocab-size 300 --input \"$1\" --out \"$2/tok.bpe\" >/dev/null && { \"$0\" train --input \"$1\" --tokenizer \"$2/tok.bpe\" --out \"$2/run\" --steps 1000000 --layers 1 --heads 2 --width 16 --context 16 --batch 2 --sample-tokens 0 & pid=$!; sleep 2; kill -INT $pid; wait $pid; } && test -f \"$2/run/latest\" && test -f \"$2/run/$(cat \"$2/run/latest\")/state.json\" && echo checkpoint-present"
                 $<TARGET_FILE:minillm_cli> "${train_cli_text}" "${CMAKE_BINARY_DIR}/tests/train-cli-sigint")
set_tests_properties(train.cli.ctrl_c_saves_a_checkpoint PROPERTIES LABELS "ch06;cli" TIMEOUT 60
                     PASS_REGULAR_EXPRESSION "Interrupted: saved a checkpoint at step [0-9]+ .*--resume.*checkpoint-present")

# Bad values are one clear error each, never a silent fall-back to a default.
minillm_program_test(train.cli.bad_steps PROGRAM minillm_cli ARGS train --steps 0 --input x
                     LABELS "ch06;cli" FAILS
                     EXPECT "error: --steps: must be a number greater than 0, not '0'")
minillm_program_test(train.cli.nan_learning_rate PROGRAM minillm_cli ARGS train --lr nan --input x
                     LABELS "ch06;cli" FAILS
                     EXPECT "error: --lr: must be a number greater than 0, not 'nan'")
add_test(NAME train.cli.resume_without_checkpoint
         COMMAND minillm_cli train --input "${train_cli_text}" --out "${CMAKE_BINARY_DIR}/tests/no-such-run" --resume --steps 2)
set_tests_properties(train.cli.resume_without_checkpoint PROPERTIES LABELS "ch06;cli"
                     PASS_REGULAR_EXPRESSION "error: --resume: .*no-such-run holds no checkpoint")
add_test(NAME train.cli.bad_thread_count COMMAND ${CMAKE_COMMAND} -E env MINILLM_THREADS=abc $<TARGET_FILE:minillm_cli> tokenize hi)
set_tests_properties(train.cli.bad_thread_count PROPERTIES LABELS "ch06;cli"
                     PASS_REGULAR_EXPRESSION "error: MINILLM_THREADS='abc' is not a thread count")
add_test(NAME ch05.demo.bad_thread_count COMMAND ${CMAKE_COMMAND} -E env MINILLM_THREADS=abc $<TARGET_FILE:ch05_demo> --smoke)
set_tests_properties(ch05.demo.bad_thread_count PROPERTIES LABELS "ch05;demo"
                     PASS_REGULAR_EXPRESSION "error: MINILLM_THREADS='abc' is not a thread count")

# kill -9 at random moments during a run with a checkpoint every step, resumed each time: the same result.
add_test(NAME train.cli.kill_9_and_resume_is_exact
         COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/cmake/kill_resume.sh" $<TARGET_FILE:minillm_cli> "${train_cli_text}"
                 "${CMAKE_BINARY_DIR}/tests/kill-resume" 20)
set_tests_properties(train.cli.kill_9_and_resume_is_exact PROPERTIES LABELS "ch06;cli" TIMEOUT 600
                     PASS_REGULAR_EXPRESSION "kill-resume: identical")
