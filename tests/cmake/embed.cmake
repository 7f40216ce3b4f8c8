# Word vectors (chapter 02): the CLI run as a learner would, on the project's own text (no downloads).
set(embed_cli_out "${CMAKE_BINARY_DIR}/tests/embed-cli")
add_test(NAME embed.cli.train_then_neighbours
         COMMAND ${CMAKE_COMMAND} -E env sh -c
                 "\"$0\" --threads 1 embed train --input \"$1\" --out \"$2\" --dim 16 --min-count 2 --epochs 20 && \"$0\" neighbours \"$2\" lighthouse -k 3"
                 $<TARGET_FILE:minillm_cli> "${PROJECT_SOURCE_DIR}/data/text/lighthouse_story.txt" "${embed_cli_out}/story.txt")
set_tests_properties(embed.cli.train_then_neighbours PROPERTIES LABELS "embed;ch02;cli"
                     PASS_REGULAR_EXPRESSION "Saved [0-9]+ vectors to .*story.txt.*Nearest to \"lighthouse\" by cosine similarity:\n  [a-z]+ +-?[0-9.]+\n")
add_test(NAME embed.cli.unknown_word_is_explained
         COMMAND minillm_cli neighbours "${PROJECT_SOURCE_DIR}/tests/fixtures/embed/tiny_vectors.txt" dragon)
set_tests_properties(embed.cli.unknown_word_is_explained PROPERTIES LABELS "embed;ch02;cli"
                     PASS_REGULAR_EXPRESSION "error: \"dragon\" is not in the vocabulary \\(4 words\\): words are lowercase a-z only, and the file holds only the words the trainer kept")
add_test(NAME embed.cli.analogy COMMAND minillm_cli neighbours "${PROJECT_SOURCE_DIR}/tests/fixtures/embed/tiny_vectors.txt" --analogy king man woman -k 1)
set_tests_properties(embed.cli.analogy PROPERTIES LABELS "embed;ch02;cli" PASS_REGULAR_EXPRESSION "king - man \\+ woman:\n  queen ")

# Chapter 02 demo: the smoke run uses the project's own texts (no downloads) and must finish quickly.
minillm_program_test(ch02.demo.smoke PROGRAM ch02_demo ARGS --smoke
                     LABELS "ch02;demo" TIMEOUT 60
                     EXPECT "result has shape \\[4, 300\\].*error: embedding: token id 10000.*mean loss per pair.*Wrote the map")
minillm_program_test(ch02.demo.bad_option PROGRAM ch02_demo ARGS --fast
                     LABELS "ch02;demo" FAILS
                     EXPECT "error: unknown option '--fast'")
add_test(NAME ch02.lesson.code_example COMMAND ch02_example)
set_tests_properties(ch02.lesson.code_example PROPERTIES LABELS "ch02;lessons"
                     PASS_REGULAR_EXPRESSION "shape: \\[4, 300\\]\nrow 2 starts with -0.0203, table row 42 with -0.0203\n")
add_test(NAME embed.cli.plot_embeddings
         COMMAND minillm_cli plot-embeddings "${PROJECT_SOURCE_DIR}/tests/fixtures/embed/tiny_vectors.txt" --clusters 2
                 --out "${embed_cli_out}/tiny_map.png")
set_tests_properties(embed.cli.plot_embeddings PROPERTIES LABELS "embed;ch02;cli"
                     PASS_REGULAR_EXPRESSION "Drew 4 words \\(pca, 2 k-means groups\\) to .*tiny_map.png")
add_test(NAME embed.cli.plot_unknown_method
         COMMAND minillm_cli plot-embeddings "${PROJECT_SOURCE_DIR}/tests/fixtures/embed/tiny_vectors.txt" --clusters 2
                 --method umap --out "${embed_cli_out}/never.png")
set_tests_properties(embed.cli.plot_unknown_method PROPERTIES LABELS "embed;ch02;cli"
                     PASS_REGULAR_EXPRESSION "error: unknown --method \"umap\": use pca")
