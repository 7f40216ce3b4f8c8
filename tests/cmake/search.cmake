# Semantic search (chapter 08): the CLI run as a learner would, on the project's own files (no downloads).
set(search_cli_out "${CMAKE_BINARY_DIR}/tests/search-cli")
set(tiny_vectors "${PROJECT_SOURCE_DIR}/tests/fixtures/embed/tiny_vectors.txt")
# Words: "king" is (1, 0), and so is "man" scaled to length 1: a tie, which the lower id (king) wins.
add_test(NAME search.cli.word_index
         COMMAND sh -c "\"$0\" index build --vectors \"$1\" --out \"$2\" && \"$0\" index query \"$2\" king -k 3"
                 $<TARGET_FILE:minillm_cli> "${tiny_vectors}" "${search_cli_out}/words.idx")
set_tests_properties(search.cli.word_index PROPERTIES LABELS "search;ch08;cli"
                     PASS_REGULAR_EXPRESSION "Indexed the 4 words.*Best words for \"king\" \\(cosine similarity\\):\n  king +1.000\n  man +1.000\n  queen +0.707\n")
# Query vectors in, one JSON line per query, then the summary with queries_per_second.
add_test(NAME search.cli.json_queries
         COMMAND sh -c "\"$0\" index build --vectors \"$1\" --out \"$2\" --ivf 2 >/dev/null && \"$0\" index query \"$2\" --queries \"$3\" -k 2 --json --nprobe 2"
                 $<TARGET_FILE:minillm_cli> "${tiny_vectors}" "${search_cli_out}/words_ivf.idx"
                 "${PROJECT_SOURCE_DIR}/tests/fixtures/search/queries.vec")
set_tests_properties(search.cli.json_queries PROPERTIES LABELS "search;ch08;cli"
                     PASS_REGULAR_EXPRESSION "\\{\"ids\":\\[3,1\\],\"keys\":\\[\"woman\",\"queen\"\\],\"query\":\"q0\",\"scores\":\\[0\\.99[0-9]*,0\\.70[0-9]*\\]\\}\n\\{\"ids\":\\[0,2\\].*\n\\{\"k\":2,\"queries\":2,\"queries_per_second\":[0-9.e+]+,\"search\":\"ivf\",\"seconds\":[0-9.e+-]+\\}\n")
# Passages of a text, embedded with vectors trained on it.
add_test(NAME search.cli.passage_index
         COMMAND sh -c "\"$0\" --threads 1 embed train --input \"$1\" --out \"$2\" --dim 16 --min-count 2 --epochs 10 >/dev/null && \"$0\" index build --input \"$1\" --vectors \"$2\" --out \"$3\" --passages windows --window 40 --overlap 10 --weights sif && \"$0\" index query \"$3\" \"the lighthouse keeper\" -k 2"
                 $<TARGET_FILE:minillm_cli> "${PROJECT_SOURCE_DIR}/data/text/lighthouse_story.txt"
                 "${search_cli_out}/story.vec" "${search_cli_out}/story.idx")
set_tests_properties(search.cli.passage_index PROPERTIES LABELS "search;ch08;cli"
                     PASS_REGULAR_EXPRESSION "Indexed 1[0-9] passages \\(windows\\).*SIF-weighted.*Best passages for \"the lighthouse keeper\".*\n1\\. score 0\\.[0-9]+, passage [0-9]+ \\(line [0-9]+\\)\n   [^\n]+\n2\\. score")
add_test(NAME search.cli.not_an_index COMMAND minillm_cli index query "${tiny_vectors}" whale)
set_tests_properties(search.cli.not_an_index PROPERTIES LABELS "search;ch08;cli"
                     PASS_REGULAR_EXPRESSION "error: .*tiny_vectors.txt: not a minillm index .*minillm index build")
add_test(NAME search.cli.wrong_query_dimension
         COMMAND sh -c "\"$0\" index build --vectors \"$1\" --out \"$2\" >/dev/null && \"$0\" index query \"$2\" --queries \"$3\""
                 $<TARGET_FILE:minillm_cli> "${tiny_vectors}" "${search_cli_out}/words2.idx"
                 "${PROJECT_SOURCE_DIR}/tests/fixtures/search/queries_3d.vec")
set_tests_properties(search.cli.wrong_query_dimension PROPERTIES LABELS "search;ch08;cli"
                     PASS_REGULAR_EXPRESSION "error: .*queries_3d.vec holds vectors of 3 numbers, but the index's have 2")
add_test(NAME search.cli.unknown_words
         COMMAND sh -c "\"$0\" index build --vectors \"$1\" --out \"$2\" >/dev/null && \"$0\" index query \"$2\" dragon"
                 $<TARGET_FILE:minillm_cli> "${tiny_vectors}" "${search_cli_out}/words3.idx")
set_tests_properties(search.cli.unknown_words PROPERTIES LABELS "search;ch08;cli"
                     PASS_REGULAR_EXPRESSION "error: none of the words of \"dragon\" is in the index's vocabulary \\(4 words\\)")
