# Finds every third-party dependency the CMake way and, when one is missing, stops with a message that
# names the Debian package to install (or tells you to run ./run setup, which installs them all).
find_package(PkgConfig QUIET)

function(minillm_missing what package)
  message(FATAL_ERROR
    "minillm: ${what} was not found.\n"
    "  Install it with:  sudo apt-get install ${package}\n"
    "  or run ./run setup, which installs every dependency.")
endfunction()

if(NOT PkgConfig_FOUND)
  minillm_missing("pkg-config" "pkg-config")
endif()

pkg_check_modules(OPENBLAS IMPORTED_TARGET openblas)
if(NOT OPENBLAS_FOUND)
  minillm_missing("OpenBLAS" "libopenblas-dev")
endif()

pkg_check_modules(PCRE2 IMPORTED_TARGET libpcre2-8)
if(NOT PCRE2_FOUND)
  minillm_missing("PCRE2" "libpcre2-dev")
endif()

pkg_check_modules(STB IMPORTED_TARGET stb)
if(NOT STB_FOUND)
  minillm_missing("stb (stb_image_write, stb_easy_font)" "libstb-dev")
endif()

find_package(fmt QUIET)
if(NOT fmt_FOUND)
  minillm_missing("fmt" "libfmt-dev")
endif()

find_package(nlohmann_json 3.10 QUIET)
if(NOT nlohmann_json_FOUND)
  minillm_missing("nlohmann-json" "nlohmann-json3-dev")
endif()

find_package(absl CONFIG QUIET)
if(NOT absl_FOUND)
  minillm_missing("Abseil (absl::flat_hash_map, the tokenizer's hash tables)" "libabsl-dev")
endif()

find_package(CLI11 QUIET)
if(NOT CLI11_FOUND)
  minillm_missing("CLI11" "libcli11-dev")
endif()

find_package(Threads REQUIRED)
find_package(OpenMP QUIET)
if(NOT OpenMP_CXX_FOUND)
  minillm_missing("OpenMP (libgomp)" "g++")
endif()

# MPI is optional: without it minillm builds whole except data-parallel training (`mpirun -np N minillm
# train`, src/mpi/) and its tests. MINILLM_REQUIRE_MPI (./run sets it when CI=true) makes it required, so CI
# can never skip those tests silently.
find_package(MPI COMPONENTS C QUIET)
if(MPI_C_FOUND)
  set(MINILLM_HAVE_MPI ON)
elseif(MINILLM_REQUIRE_MPI)
  minillm_missing("MPI (OpenMPI, for data-parallel training under mpirun)" "libopenmpi-dev openmpi-bin")
else()
  set(MINILLM_HAVE_MPI OFF)
  message(STATUS "minillm: MPI not found: building without data-parallel training (mpirun); to have it, "
                 "sudo apt-get install libopenmpi-dev openmpi-bin and configure again")
endif()

if(BUILD_TESTING)
  find_package(GTest QUIET)
  if(NOT GTest_FOUND)
    minillm_missing("GoogleTest" "libgtest-dev")
  endif()
  include(GoogleTest)
endif()
