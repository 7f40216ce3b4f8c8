# `minillm classify train|eval|predict` (chapter 09) as a learner runs it, on the project's own labelled files
# (tests/fixtures/classify): a tiny GPT trained on their texts becomes a two-label classifier, which eval scores
# (text, --json keys, the PNG) and predict uses (an argument, and '-' for standard input).
set(classify_out "${CMAKE_BINARY_DIR}/tests/classify-cli")
set(classify_data "${PROJECT_SOURCE_DIR}/tests/fixtures/classify")
add_test(NAME classify.cli.train_eval_predict
         COMMAND sh -c
                 "set -e; m=\"$0\"; d=\"$1\"; o=\"$2\"; rm -rf \"$o\"; mkdir -p \"$o\"
                  cut -f2 \"$d/train.tsv\" > \"$o/corpus.txt\"
                  \"$m\" train-tokenizer --vocab-size 300 --input \"$o/corpus.txt\" --out \"$o/tok.bpe\" >/dev/null 2>&1
                  \"$m\" train --input \"$o/corpus.txt\" --tokenizer \"$o/tok.bpe\" --out \"$o/base\" --steps 40 --layers 2 --heads 2 --width 32 --context 32 --batch 8 --lr 1e-2 --sample-tokens 0 --json >/dev/null
                  \"$m\" classify train --init-from \"$o/base\" --input \"$d/train.tsv\" --val \"$d/val.tsv\" --out \"$o/clf\" --epochs 3 --lr 3e-3 --unfreeze 1
                  \"$m\" classify eval --checkpoint \"$o/clf\" --input \"$d/val.tsv\" 2>/dev/null
                  \"$m\" classify eval --checkpoint \"$o/clf\" --input \"$d/val.tsv\" --json --png \"$o/confusion.png\"
                  [ -s \"$o/confusion.png\" ] && echo png written
                  \"$m\" classify predict --checkpoint \"$o/clf\" 'The soup simmered on the stove.'
                  echo 'The storm came in from the sea.' | \"$m\" classify predict --checkpoint \"$o/clf\" - --json"
                 $<TARGET_FILE:minillm_cli> "${classify_data}" "${classify_out}")
set_tests_properties(classify.cli.train_eval_predict PROPERTIES LABELS "ch09;cli" TIMEOUT 120 FIXTURES_SETUP classify_run
                     PASS_REGULAR_EXPRESSION "Classifying 72 training texts \\(2 labels: cooking, weather\\) with last pooling, the first 32 tokens of each; training the head, ln_f and the top 1 block .*epoch 1: training loss [0-9.]+, validation accuracy [0-9.]+% \\(macro-F1 [0-9.]+\\), the best so far: kept.*epoch 3: .*kept epoch [1-3]: validation accuracy.*20 examples: accuracy [0-9.]+%, macro-F1 [0-9.]+\n  class +precision  recall      F1  support\n  cooking .*confusion matrix \\(rows: true class, columns: predicted\\).*\\{\"accuracy\":[0-9.e-]+,\"confusion\":\\[\\[[0-9]+,[0-9]+\\],\\[[0-9]+,[0-9]+\\]\\],.*\"macro_f1\":[0-9.e-]+,\"per_class\":\\{\"cooking\":\\{\"f1\".*png written\n(cooking|weather)  \\(cooking 0\\.[0-9]+, weather 0\\.[0-9]+\\)\n\\{\"label\":\"(cooking|weather)\",\"probabilities\":\\{\"cooking\":[0-9.e-]+,\"weather\":[0-9.e-]+\\}\\}\n")

# Each refusal is one line naming the line or the label, exits non-zero, and writes nothing.
function(classify_error name expect)
  add_test(NAME classify.cli.${name}
           COMMAND sh -c "m=\"$0\"; o=\"$1\"; shift 1; rm -rf \"$o/refused\"; \"$m\" classify \"$@\" 2>&1; s=$?; [ -e \"$o/refused\" ] && echo wrote something; echo \"exit status $s\""
                   $<TARGET_FILE:minillm_cli> "${classify_out}" ${ARGN})
  set_tests_properties(classify.cli.${name} PROPERTIES LABELS "ch09;cli" FIXTURES_REQUIRED classify_run
                       PASS_REGULAR_EXPRESSION "^error: ${expect}[^\n]*\nexit status [1-9][0-9]*\n$")
endfunction()
set(classify_train_args train --init-from "${classify_out}/base" --val "${classify_data}/val.tsv" --out "${classify_out}/refused")
classify_error(no_tab "[^\n]*no_tab.tsv line 2 has no tab: each line must be label<TAB>text"
               ${classify_train_args} --input "${classify_data}/no_tab.tsv")
classify_error(empty_text "[^\n]*empty_text.tsv line 2 \\(label 'cooking'\\) has an empty text"
               ${classify_train_args} --input "${classify_data}/empty_text.tsv")
classify_error(one_label "[^\n]*one_label.tsv: every line has the label 'weather'; a classifier learns to tell labels apart"
               ${classify_train_args} --input "${classify_data}/one_label.tsv")
classify_error(unseen_label_at_eval "[^\n]*unseen_label.tsv line 2: label 'sport' is not one the model was trained on \\(cooking, weather\\)"
               eval --checkpoint "${classify_out}/clf" --input "${classify_data}/unseen_label.tsv" --png "${classify_out}/refused")
classify_error(language_model_folder "'[^\n]*classify-cli/base' is a language model, not a classifier"
               eval --checkpoint "${classify_out}/base" --input "${classify_data}/val.tsv" --png "${classify_out}/refused")
classify_error(classifier_as_init "--init-from: '[^\n]*classify-cli/clf' is a text classifier \\(`minillm classify train` made it\\), not a language model"
               train --init-from "${classify_out}/clf" --val "${classify_data}/val.tsv" --out "${classify_out}/refused" --input "${classify_data}/train.tsv")
classify_error(bad_pooling "pooling 'max' is not known: 'last' [^\n]* or 'mean'"
               ${classify_train_args} --input "${classify_data}/train.tsv" --pooling max)
# And the other way: a language-model command given a classifier's folder.
minillm_program_test(classify.cli.generate_refuses_a_classifier PROGRAM minillm_cli FAILS LABELS "ch09;cli"
                     ARGS generate --checkpoint "${classify_out}/clf" --prompt "The" FIXTURES classify_run
                     EXPECT "^error: '[^\n]*classify-cli/clf' is a text classifier [^\n]*classify predict`\n")

# Chapter 09's demo on the project's own 40 mails (data/text/spam_smoke.tsv, no downloads): a tiny GPT
# pretrained on their text for a few steps, fine-tuned as a classifier, scored beside the baseline (which says
# it is skipped when scikit-learn is not installed).
minillm_program_test(ch09.demo.smoke PROGRAM ch09_demo ARGS --smoke LABELS "ch09;demo" TIMEOUT 120
                     EXPECT "Step 3/5: pretrain chapter 06's GPT on the training emails.*pretrained 8 steps.*Step 4/5: fine-tune it as a spam filter.*Classifying 40 training texts \\(2 labels: ham, spam\\) with last pooling.*kept epoch [12] of 2: validation accuracy.*Step 4b/5: fine-tune it again with LoRA.*kept epoch [12] of 2: validation accuracy.*Step 5/5: all of them on the test split.*40 examples: accuracy [0-9.]+%.*GPT fine-tuned \\(this run\\) +[0-9.]+%.*GPT with LoRA, rank 8 \\(this run\\) +[0-9.]+%")
