# Lesson checks: one ctest entry per chapter folder present at configure time (labels "lessons;chNN").
# Each runs `minillm-practice lessons --chapter NN`: the fourteen sections in order, every quoted code block
# equal to its source region, and the chapter's demo, CMakeLists.txt and practice. A drifted quote is
# repaired with `./run lessons --refresh`. (minillm_practice_runner is the target of minillm-practice;
# add_test resolves it when the build is generated.)
file(GLOB lesson_chapter_dirs LIST_DIRECTORIES true "${PROJECT_SOURCE_DIR}/chapters/[0-9][0-9]_*")
list(SORT lesson_chapter_dirs)
foreach(dir IN LISTS lesson_chapter_dirs)
  if(NOT IS_DIRECTORY "${dir}")
    continue()
  endif()
  get_filename_component(name "${dir}" NAME)
  string(SUBSTRING "${name}" 0 2 number)
  add_test(NAME ch${number}.lessons
           COMMAND minillm_practice_runner lessons --source "${PROJECT_SOURCE_DIR}" --chapter ${number})
  set_tests_properties(ch${number}.lessons PROPERTIES LABELS "lessons;ch${number}" TIMEOUT 60)
endforeach()
