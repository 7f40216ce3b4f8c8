# The practice runner as a program: the lesson checker's verdicts and exit codes on the fixture chapters
# (tests/fixtures/practice/), and its one-line errors for bad input. Its library is tested in unit_practice.
set(practice_fixtures "${PROJECT_SOURCE_DIR}/tests/fixtures/practice")

add_test(NAME practice.cli.lessons_clean
         COMMAND minillm_practice_runner lessons --source "${practice_fixtures}/root")
set_tests_properties(practice.cli.lessons_clean PROPERTIES LABELS "practice;cli"
                     PASS_REGULAR_EXPRESSION "lessons: 1 chapter\\(s\\), 1 quote\\(s\\), 0 problem\\(s\\)")

add_test(NAME practice.cli.lessons_broken
         COMMAND minillm_practice_runner lessons --source "${practice_fixtures}/broken")
set_tests_properties(practice.cli.lessons_broken PROPERTIES LABELS "practice;cli" WILL_FAIL ON)

add_test(NAME practice.cli.lessons_broken_says_where
         COMMAND minillm_practice_runner lessons --source "${practice_fixtures}/broken")
set_tests_properties(practice.cli.lessons_broken_says_where PROPERTIES LABELS "practice;cli"
                     PASS_REGULAR_EXPRESSION "chapters/91_broken/README.md:3: the quote marker names src/fake/fake.cpp")

add_test(NAME practice.cli.unknown_chapter
         COMMAND minillm_practice_runner lessons --source "${practice_fixtures}/root" --chapter 42)
set_tests_properties(practice.cli.unknown_chapter PROPERTIES LABELS "practice;cli"
                     PASS_REGULAR_EXPRESSION "error: there is no chapters/42_\\*/ folder")

add_test(NAME practice.cli.bad_chapter_number
         COMMAND minillm_practice_runner run --source "${practice_fixtures}/root" --build "${CMAKE_BINARY_DIR}" abc)
set_tests_properties(practice.cli.bad_chapter_number PROPERTIES LABELS "practice;cli"
                     PASS_REGULAR_EXPRESSION "error: \"abc\" is not a chapter number")

add_test(NAME practice.cli.check_needs_stubs
         COMMAND minillm_practice_runner check --source "${practice_fixtures}/root" --build "${practice_fixtures}")
set_tests_properties(practice.cli.check_needs_stubs PROPERTIES LABELS "practice;cli"
                     PASS_REGULAR_EXPRESSION "MINILLM_PRACTICE_STUBS_ROOT")
