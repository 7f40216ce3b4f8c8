# The data the fetch step writes: data/spam_split.js (chapter 09's spam split) on a small corpus of the
# project's own (tests/fixtures/spam_corpus), so the split's rules are tested without a download.
add_test(NAME data.spam_split.rules
         COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/cmake/spam_split_test.sh" "${PROJECT_SOURCE_DIR}"
                 "${CMAKE_BINARY_DIR}/tests/spam-split")
set_tests_properties(data.spam_split.rules PROPERTIES LABELS "ch09;data" TIMEOUT 60
                     PASS_REGULAR_EXPRESSION "spam_split: ok")
