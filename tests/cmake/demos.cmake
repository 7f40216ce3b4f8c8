# Every chapter's demo, found here rather than listed: each chapters/NN_*/demo.cpp builds chNN_demo, and
# every demo follows the convention of src/ui/usage.hpp, which these tests check:
#   chNN.demo.help   --help prints its usage ("usage: chNN_demo ...", naming --smoke) and exits 0
#   chNN.demo.smoke  --smoke (tiny sizes, no downloads) exits 0
# A chapter's own tests/cmake/*.cmake may define chNN.demo.smoke (or .help) itself, with a stricter EXPECT
# of what the run prints; then the default here is not added. The defaults are added at the end of this
# directory (cmake_language(DEFER)), after every tests/cmake file has had its say.
function(minillm_default_demo_tests)
  file(GLOB demo_sources "${PROJECT_SOURCE_DIR}/chapters/[0-9][0-9]_*/demo.cpp")
  list(SORT demo_sources)
  foreach(source IN LISTS demo_sources)
    get_filename_component(dir "${source}" DIRECTORY)
    get_filename_component(dir_name "${dir}" NAME)
    string(SUBSTRING "${dir_name}" 0 2 nn)
    if(NOT EXISTS "${dir}/CMakeLists.txt")
      continue()  # chapters/CMakeLists.txt builds only chapters with a CMakeLists.txt
    endif()
    if(NOT TEST ch${nn}.demo.help)
      minillm_program_test(ch${nn}.demo.help PROGRAM ch${nn}_demo ARGS --help LABELS "ch${nn};demo"
                           EXPECT "^usage: ch${nn}_demo .*--smoke")
    endif()
    if(NOT TEST ch${nn}.demo.smoke)
      minillm_program_test(ch${nn}.demo.smoke PROGRAM ch${nn}_demo ARGS --smoke LABELS "ch${nn};demo" TIMEOUT 120)
    endif()
  endforeach()
endfunction()
cmake_language(DEFER CALL minillm_default_demo_tests)
