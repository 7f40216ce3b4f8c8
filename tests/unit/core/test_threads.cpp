// Thread count: MINILLM_THREADS is parsed strictly; a bad value is an Error naming the variable.
#include <gtest/gtest.h>

#include <cblas.h>
#include <omp.h>

#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "core/threads.hpp"

namespace {

// Sets MINILLM_THREADS for one test and restores the previous value afterwards.
class ThreadsEnv : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* old = std::getenv("MINILLM_THREADS");
    had_old_ = old != nullptr;
    if (had_old_) old_ = old;
    saved_threads_ = minillm::num_threads();
  }
  void TearDown() override {
    if (had_old_) setenv("MINILLM_THREADS", old_.c_str(), 1);
    else unsetenv("MINILLM_THREADS");
    minillm::set_num_threads(saved_threads_);
  }

 private:
  bool had_old_ = false;
  std::string old_;
  int saved_threads_ = 1;
};

TEST_F(ThreadsEnv, AValidValueSetsTheCount) {
  setenv("MINILLM_THREADS", "3", 1);
  minillm::init_threads_from_env();
  EXPECT_EQ(minillm::num_threads(), 3);
}

TEST_F(ThreadsEnv, UnsetMeansOneThreadPerCore) {
  unsetenv("MINILLM_THREADS");
  minillm::init_threads_from_env();
  EXPECT_GE(minillm::num_threads(), 1);
}

TEST_F(ThreadsEnv, BadValuesAreErrorsNamingTheVariable) {
  for (const char* bad : {"abc", "0", "-2", "2x", " ", "1.5", "99999"}) {
    setenv("MINILLM_THREADS", bad, 1);
    try {
      minillm::init_threads_from_env();
      ADD_FAILURE() << "MINILLM_THREADS='" << bad << "' should be rejected";
    } catch (const minillm::Error& e) {
      EXPECT_NE(std::string(e.what()).find("MINILLM_THREADS"), std::string::npos)
          << "the error should name the variable: " << e.what();
    }
  }
}

TEST_F(ThreadsEnv, SetNumThreadsRejectsZero) {
  EXPECT_THROW(minillm::set_num_threads(0), minillm::Error);
  minillm::set_num_threads(2);
  EXPECT_EQ(minillm::num_threads(), 2);
}

TEST_F(ThreadsEnv, OneSettingForOpenBlasAndOpenMp) {
  // Both pools must follow the one setting, or BLAS threads and OpenMP threads oversubscribe the cores.
  minillm::set_num_threads(1);
  EXPECT_EQ(openblas_get_num_threads(), 1) << "OpenBLAS should use the count given to set_num_threads";
  EXPECT_EQ(omp_get_max_threads(), 1) << "OpenMP should use the count given to set_num_threads";
  minillm::set_num_threads(2);
  EXPECT_EQ(openblas_get_num_threads(), 2);
  EXPECT_EQ(omp_get_max_threads(), 2);
}

}  // namespace
