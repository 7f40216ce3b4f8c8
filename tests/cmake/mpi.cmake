# Data-parallel training under mpirun (chapter 11, issue 23): only in a build with MPI (a build without it
# has no src/mpi/; CI configures with MINILLM_REQUIRE_MPI, so there these tests can never be skipped).
# Every test runs mpirun with 2 or 3 ranks of 1 thread each (tests/cmake/mpirun.sh), alone (RUN_SERIAL: the
# ranks want the cores), on tiny shapes. Under the sanitizers OpenMPI's own allocations would be reported as
# leaks at exit, so LeakSanitizer is off for these tests (ASan and UBSan still check our code).
if(NOT MINILLM_HAVE_MPI)
  return()
endif()

add_executable(test_mpi_collectives "${CMAKE_CURRENT_SOURCE_DIR}/mpi/test_mpi_collectives.cpp")
target_link_libraries(test_mpi_collectives PRIVATE minillm_mpi GTest::gtest minillm_warnings)
set_target_properties(test_mpi_collectives PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/tests")

set(mpi_env "MPIEXEC=${MPIEXEC_EXECUTABLE}" "ASAN_OPTIONS=detect_leaks=0")
set(mpi_text "${PROJECT_SOURCE_DIR}/data/text/lighthouse_story.txt")

foreach(ranks 2 3)
  add_test(NAME mpi.collectives.${ranks}_ranks
           COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/cmake/mpirun.sh" ${ranks} $<TARGET_FILE:test_mpi_collectives>)
  set_tests_properties(mpi.collectives.${ranks}_ranks PROPERTIES PASS_REGULAR_EXPRESSION "ranks: ${ranks}.*PASSED")
  add_test(NAME mpi.train.${ranks}_ranks_match_one_process
           COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/cmake/mpi_train.sh" $<TARGET_FILE:minillm_cli> "${mpi_text}"
                   "${CMAKE_BINARY_DIR}/tests/mpi-same-${ranks}" same ${ranks})
  set_tests_properties(mpi.train.${ranks}_ranks_match_one_process PROPERTIES PASS_REGULAR_EXPRESSION "mpi-same: ")
endforeach()
add_test(NAME mpi.train.2_ranks_resume_on_3
         COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/cmake/mpi_train.sh" $<TARGET_FILE:minillm_cli> "${mpi_text}"
                 "${CMAKE_BINARY_DIR}/tests/mpi-resume" resume 2 3)
set_tests_properties(mpi.train.2_ranks_resume_on_3 PROPERTIES PASS_REGULAR_EXPRESSION "mpi-resume: ")
foreach(mode kill term mismatch)
  add_test(NAME mpi.train.${mode}
           COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/cmake/mpi_train.sh" $<TARGET_FILE:minillm_cli> "${mpi_text}"
                   "${CMAKE_BINARY_DIR}/tests/mpi-${mode}" ${mode})
  set_tests_properties(mpi.train.${mode} PROPERTIES PASS_REGULAR_EXPRESSION "mpi-${mode}: ")
endforeach()

get_property(mpi_tests DIRECTORY PROPERTY TESTS)
list(FILTER mpi_tests INCLUDE REGEX "^mpi\\.")
set_tests_properties(${mpi_tests} PROPERTIES LABELS "ch11;mpi" RUN_SERIAL ON TIMEOUT 180 ENVIRONMENT "${mpi_env}")
