# Tokenizer tests beyond unit_tokenizer.
#
# The tiktoken-compatibility tests need tiktoken's rank files (./run fetch downloads them to data/cache/);
# they live in their own binary so that they carry the label "fetched": a learner offline can run
# `ctest -LE fetched` knowingly. They fail, saying "run ./run fetch", when the files are missing.
minillm_unit_tests(tokenizer_fetched DEPS minillm_tokenizer LABELS "tokenizer;ch01;fetched")
