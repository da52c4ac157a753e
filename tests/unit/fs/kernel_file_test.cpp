// Reading the files the kernel makes (/proc, cgroupfs), which report size 0: whole, bounded, and
// for a one-record file in a single read.
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "../temp_dir.hpp"
#include "nexcage/fs/files.hpp"

using namespace nexcage;

TEST(KernelFile, AOneRecordFileIsReadWhole) {
  std::string stat;
  ASSERT_TRUE(fs::read_proc_record("/proc/self/stat", stat, 4096));
  EXPECT_EQ(stat.rfind(std::to_string(getpid()) + " (", 0), 0u) << stat;
  EXPECT_EQ(stat.back(), '\n');
  std::string again;
  ASSERT_TRUE(fs::read_proc_file("/proc/self/stat", again, 4096));
  EXPECT_EQ(again.substr(0, again.find(')')), stat.substr(0, stat.find(')')));
}

TEST(KernelFile, AFileLongerThanTheFirstBufferIsReadToItsEnd) {
  testing_support::TempDir tmp("kernel-file");
  auto file = tmp.path() / "long";
  std::string text(10000, 'x');
  text.back() = '\n';
  std::ofstream(file) << text;
  for (auto* read : {&fs::read_proc_record, &fs::read_proc_file}) {
    std::string out;
    ASSERT_TRUE(read(file, out, 1 << 20));
    EXPECT_EQ(out, text);
    ASSERT_TRUE(read(file, out, 100));  // bounded: the first max_bytes
    EXPECT_EQ(out, text.substr(0, 100));
  }
}

TEST(KernelFile, AMissingFileIsNotRead) {
  std::string out;
  EXPECT_FALSE(fs::read_proc_record("/proc/0/stat", out, 4096));
  EXPECT_FALSE(fs::read_proc_file("/proc/0/stat", out, 4096));
}
