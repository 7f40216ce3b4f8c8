# Semantic search (chapter 08): the CLI run as a learner would, on the project's own files (no downloads).
#
# search_cli_test(NAME SCRIPT script [ARGS ...] EXPECT regex [FAILS] [TIMEOUT s])
# Runs the shell `script` with $0 = the minillm program and $1, $2, ... = ARGS; stderr is merged into stdout
# and "exit status N" appended (as minillm_program_test does for one command), so the test passes when the
# output matches EXPECT followed, as its last line, by exit status 0 (or, with FAILS, a non-zero one).
# The test is named search.cli.NAME. (No `;` in scripts: CMake would split the argument there; use newlines.)
function(search_cli_test name)
  cmake_parse_arguments(ARG "FAILS" "SCRIPT;EXPECT;TIMEOUT" "ARGS" ${ARGN})
  set(status "0")
  if(ARG_FAILS)
    set(status "[1-9][0-9]*")
  endif()
  add_test(NAME search.cli.${name} COMMAND sh -c "{ ${ARG_SCRIPT}\n} 2>&1; echo \"exit status $?\""
                                           $<TARGET_FILE:minillm_cli> ${ARG_ARGS})
  set_tests_properties(search.cli.${name} PROPERTIES LABELS "search;ch08;cli"
                       PASS_REGULAR_EXPRESSION "${ARG_EXPECT}.*exit status ${status}\n$")
  if(ARG_TIMEOUT)
    set_tests_properties(search.cli.${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT})
  endif()
endfunction()

set(search_cli_out "${CMAKE_BINARY_DIR}/tests/search-cli")
set(tiny_vectors "${PROJECT_SOURCE_DIR}/tests/fixtures/embed/tiny_vectors.txt")
set(story "${PROJECT_SOURCE_DIR}/data/text/lighthouse_story.txt")
# `index build` of the four tiny word vectors (the script adds --out and what follows).
set(build_tiny_words "\"$0\" index build --vectors \"${tiny_vectors}\"")

# Words: "king" is (1, 0), and so is "man" scaled to length 1: a tie, which the lower id (king) wins.
search_cli_test(word_index
  SCRIPT "${build_tiny_words} --out \"$1\" && \"$0\" index query \"$1\" king -k 3" ARGS "${search_cli_out}/words.idx"
  EXPECT "Indexed the 4 words.*Best words for \"king\" \\(cosine similarity\\):\n  king +1.000\n  man +1.000\n  queen +0.707\n")
# Query vectors in, one JSON line per query, then the summary with queries_per_second.
search_cli_test(json_queries
  SCRIPT "${build_tiny_words} --out \"$1\" --ivf 2 >/dev/null && \"$0\" index query \"$1\" --queries \"$2\" -k 2 --json --nprobe 2"
  ARGS "${search_cli_out}/words_ivf.idx" "${PROJECT_SOURCE_DIR}/tests/fixtures/search/queries.vec"
  EXPECT "\\{\"ids\":\\[3,1\\],\"keys\":\\[\"woman\",\"queen\"\\],\"query\":\"q0\",\"scores\":\\[0\\.99[0-9]*,0\\.70[0-9]*\\]\\}\n\\{\"ids\":\\[0,2\\].*\n\\{\"k\":2,\"queries\":2,\"queries_per_second\":[0-9.e+]+,\"search\":\"ivf\",\"seconds\":[0-9.e+-]+\\}\n")
# Passages of a text, embedded with vectors trained on it.
search_cli_test(passage_index
  SCRIPT "\"$0\" --threads 1 embed train --input \"$1\" --out \"$2\" --dim 16 --min-count 2 --epochs 10 >/dev/null && \"$0\" index build --input \"$1\" --vectors \"$2\" --out \"$3\" --passages windows --window 40 --overlap 10 --weights sif && \"$0\" index query \"$3\" \"the lighthouse keeper\" -k 2"
  ARGS "${story}" "${search_cli_out}/story.vec" "${search_cli_out}/story.idx"
  EXPECT "Indexed 1[0-9] passages \\(windows\\).*SIF-weighted.*Best passages for \"the lighthouse keeper\".*\n1\\. score 0\\.[0-9]+, passage [0-9]+ \\(line [0-9]+\\)\n   [^\n]+\n2\\. score")
search_cli_test(not_an_index SCRIPT "\"$0\" index query \"$1\" whale" ARGS "${tiny_vectors}" FAILS
  EXPECT "error: .*tiny_vectors.txt: not a minillm index .*minillm index build")
search_cli_test(wrong_query_dimension
  SCRIPT "${build_tiny_words} --out \"$1\" >/dev/null && \"$0\" index query \"$1\" --queries \"$2\""
  ARGS "${search_cli_out}/words2.idx" "${PROJECT_SOURCE_DIR}/tests/fixtures/search/queries_3d.vec" FAILS
  EXPECT "error: .*queries_3d.vec holds vectors of 3 numbers, but the index's have 2")
search_cli_test(unknown_words
  SCRIPT "${build_tiny_words} --out \"$1\" >/dev/null && \"$0\" index query \"$1\" dragon" ARGS "${search_cli_out}/words3.idx" FAILS
  EXPECT "error: none of the words of \"dragon\" is in the index's vocabulary \\(4 words\\)")

# GPT-state passages. A tiny GPT is trained in the test on the lighthouse story (a few seconds): a tokenizer
# of 300 tokens, 1 layer of width 16, context 16, 6 steps. $1 = the story, $2 = the test's own folder.
set(train_tiny_gpt "rm -rf \"$2\" && mkdir -p \"$2\" && cd \"$2\" && \"$0\" train-tokenizer --vocab-size 300 --input \"$1\" --out \"$2/tok.bpe\" >/dev/null && \"$0\" train --input \"$1\" --tokenizer \"$2/tok.bpe\" --out \"$2/run\" --steps 6 --layers 1 --heads 2 --width 16 --context 16 --batch 2 --sample-tokens 0 --json >/dev/null")
# Passages of 20 words; the query is the story's words 21 to 40, passage 1's exact text, so the best passage
# must be passage 1 with cosine 1.000 (it is embedded alone, the passages many to a batch: the same vector).
search_cli_test(gpt_index
  SCRIPT "${train_tiny_gpt} && \"$0\" index build --input \"$1\" --checkpoint \"$2/run\" --out \"$2/gpt.idx\" --passages windows --window 20 --overlap 0 && q=\"$(tr -s '[:space:]' '\\n' < \"$1\" | sed -n 21,40p | paste -sd' ')\" && \"$0\" index query \"$2/gpt.idx\" \"$q\" -k 2"
  ARGS "${story}" "${search_cli_out}/gpt" TIMEOUT 120
  EXPECT "embedding passages.*Indexed 2[0-9] passages \\(windows\\) of [^\n]*lighthouse_story.txt, each the mean of the final LayerNorm's states of the GPT in [^\n]*/run over its tokens \\(16 numbers\\).*Best passages for \"[^\n]+\" \\(cosine similarity\\):\n1\\. score 1\\.000, passage 1 \\(line [0-9]+\\)\n   [^\n]+\n2\\. score [01]\\.[0-9]+, passage")
# The index names its checkpoint and hashes it: after the model file is replaced by another run's, a query is
# refused with what to do; pointed (--checkpoint) at the original run, the same query works; once the
# checkpoint is deleted, the refusal says it is missing.
search_cli_test(gpt_checkpoint_changed_or_missing
  SCRIPT "${train_tiny_gpt} && cp -r \"$2/run/$(cat \"$2/run/latest\")\" \"$2/model\" && \"$0\" index build --input \"$1\" --checkpoint \"$2/model\" --out \"$2/gpt.idx\" >/dev/null && \"$0\" train --input \"$1\" --tokenizer \"$2/tok.bpe\" --out \"$2/run2\" --seed 2 --steps 6 --layers 1 --heads 2 --width 16 --context 16 --batch 2 --sample-tokens 0 --json >/dev/null && cp \"$2/run2/$(cat \"$2/run2/latest\")/model.safetensors\" \"$2/model/\" && { \"$0\" index query \"$2/gpt.idx\" \"the keeper\" || \"$0\" index query \"$2/gpt.idx\" \"the keeper\" -k 1 --checkpoint \"$2/run\"\n} && rm -rf \"$2/model\" && \"$0\" index query \"$2/gpt.idx\" \"the keeper\""
  ARGS "${story}" "${search_cli_out}/gpt-changed" TIMEOUT 120 FAILS
  EXPECT "error: [^\n]*gpt.idx: the checkpoint [^\n]*/model has changed since the index was built \\(model.safetensors hash [0-9a-f]+, the index's [0-9a-f]+\\), so queries would not be embedded like its passages: point to the checkpoint the index was built with \\(`minillm index query [^\n]*--checkpoint DIR ...`\\) or rebuild the index [^\n]*\nBest passages for \"the keeper\" \\(cosine similarity\\):\n1\\. score .*error: [^\n]*gpt.idx: its checkpoint [^\n]*/model is missing: point to the checkpoint")
search_cli_test(gpt_with_vectors_too
  SCRIPT "\"$0\" index build --input \"$1\" --vectors \"$2\" --checkpoint /nonexistent/run --out /nonexistent/x.idx"
  ARGS "${story}" "${tiny_vectors}" FAILS
  EXPECT "error: --vectors and --checkpoint are two ways to embed the passages: give one of them, not both\n")
search_cli_test(gpt_missing_checkpoint
  SCRIPT "\"$0\" index build --input \"$1\" --checkpoint /nonexistent/run --out /nonexistent/x.idx" ARGS "${story}" FAILS
  EXPECT "error: '/nonexistent/run' does not exist: give a model folder or a training run's folder\n")
search_cli_test(gpt_without_input SCRIPT "\"$0\" index build --checkpoint /nonexistent/run --out /nonexistent/x.idx" FAILS
  EXPECT "error: --checkpoint embeds the passages of a text: give the text with --input\n")
search_cli_test(gpt_with_weights
  SCRIPT "\"$0\" index build --input \"$1\" --checkpoint /nonexistent/run --weights sif --out /nonexistent/x.idx"
  ARGS "${story}" FAILS EXPECT "error: --weights is for word vectors")
search_cli_test(no_embedder SCRIPT "\"$0\" index build --input \"$1\" --out /nonexistent/x.idx" ARGS "${story}" FAILS
  EXPECT "error: say how to embed: --vectors WORDS.vec \\(word vectors\\) or --checkpoint RUN")
