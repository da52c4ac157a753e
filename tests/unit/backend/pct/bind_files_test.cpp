// File binds the container's root cannot reach are copied where it can (bind_files.hpp).
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "../../temp_dir.hpp"
#include "nexcage/backend/pct/bind_files.hpp"
#include "nexcage/backend/pct/host_facts.hpp"
#include "nexcage/core/error.hpp"

using namespace nexcage::backend::pct;
using nexcage::testing_support::TempDir;
namespace fsys = std::filesystem;

namespace {

constexpr uid_t ct_root = 100000;

nexcage::oci::Spec spec_with_mounts(const nlohmann::json& mounts) {
  nlohmann::json doc = {{"ociVersion", "1.0.2"},
                        {"root", {{"path", "rootfs"}}},
                        {"process", {{"args", {"/bin/app"}}, {"cwd", "/"}}},
                        {"mounts", mounts}};
  std::vector<nexcage::oci::Problem> problems;
  auto spec = nexcage::oci::spec_from_json(doc, problems);
  EXPECT_TRUE(problems.empty()) << nexcage::oci::describe_problems("doc", problems);
  return spec;
}

void write(const fsys::path& file, const std::string& text, mode_t mode) {
  std::ofstream(file) << text;
  ::chmod(file.c_str(), mode);
}

std::string read(const fsys::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

nlohmann::json bind(const fsys::path& source, const std::string& destination) {
  return {{"destination", destination},
          {"type", "bind"},
          {"source", source.string()},
          {"options", {"bind", "rprivate"}}};
}

// A tree like podman's: <t>/storage (0700) holds hosts and a directory; <t>/open (0755) a file.
struct Tree {
  TempDir tmp{"nexcage-bind-files"};
  fsys::path storage = tmp.path() / "storage", open = tmp.path() / "open";
  fsys::path copies = tmp.path() / "host" / "files" / "c1";
  Tree() {
    ::chmod(tmp.path().c_str(), 0755);
    fsys::create_directories(storage / "shm");
    fsys::create_directories(open);
    fsys::create_directories(copies.parent_path());
    ::chmod(storage.c_str(), 0700);
    ::chmod(open.c_str(), 0755);
    write(storage / "hosts", "127.0.0.1 localhost\n", 0644);
    write(open / "motd", "hi\n", 0644);
  }
};

}  // namespace

TEST(PctBindFiles, ParentsSearchableFollowsOwnerGroupAndOtherBits) {
  Tree t;
  EXPECT_FALSE(parents_searchable_by(t.storage / "hosts", ct_root, ct_root));
  EXPECT_TRUE(parents_searchable_by(t.open / "motd", ct_root, ct_root));
  // The owner of the 0700 directory may enter it.
  struct stat st {};
  ASSERT_EQ(::stat(t.storage.c_str(), &st), 0);
  EXPECT_TRUE(parents_searchable_by(t.storage / "hosts", st.st_uid, st.st_gid));
  ::chmod(t.storage.c_str(), 0711);
  EXPECT_TRUE(parents_searchable_by(t.storage / "hosts", ct_root, ct_root));
}

TEST(PctBindFiles, CopiesOnlyUnreachableFilesOwnedByTheContainersRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "giving the copy to uid 100000 needs root";
  Tree t;
  auto spec = spec_with_mounts(
      {bind(t.storage / "hosts", "/etc/hosts"), bind(t.open / "motd", "/etc/motd"),
       bind(t.storage / "shm", "/dev/shm"), bind(t.storage / "hosts", "/etc/hosts2")});
  auto facts = host_facts_for(spec);
  ASSERT_EQ(copy_unreachable_bind_files(spec, facts, t.copies, ct_root, ct_root), 1u);
  auto copy = t.copies / "mount-0";
  EXPECT_EQ(facts.paths.at((t.storage / "hosts").string()).resolved, copy.string());
  EXPECT_EQ(facts.paths.at((t.storage / "hosts").string()).kind, PathKind::file);
  EXPECT_EQ(read(copy), "127.0.0.1 localhost\n");
  struct stat st {};
  ASSERT_EQ(::stat(copy.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, ct_root);
  EXPECT_EQ(st.st_gid, ct_root);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  ASSERT_EQ(::stat(t.copies.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0711u);
  EXPECT_TRUE(parents_searchable_by(copy, ct_root, ct_root));
  // A reachable file and a directory are bound as they are.
  EXPECT_TRUE(facts.paths.at((t.open / "motd").string()).resolved.empty());
  EXPECT_EQ(facts.paths.at((t.storage / "shm").string()).kind, PathKind::directory);
  EXPECT_TRUE(facts.paths.at((t.storage / "shm").string()).resolved.empty());
  EXPECT_FALSE(fsys::exists(t.copies / "mount-3"));
  remove_bind_files(t.copies);
  EXPECT_FALSE(fsys::exists(t.copies));
  remove_bind_files(t.copies);  // nothing left: nothing to do
}

TEST(PctBindFiles, RefusesToCopyALargeFileNamingTheMount) {
  Tree t;
  write(t.storage / "big", std::string(max_bind_file_copy_bytes + 1, 'x'), 0644);
  auto spec =
      spec_with_mounts({bind(t.open / "motd", "/etc/motd"), bind(t.storage / "big", "/big")});
  auto facts = host_facts_for(spec);
  try {
    copy_unreachable_bind_files(spec, facts, t.copies, ct_root, ct_root);
    FAIL() << "a file above the cap was copied";
  } catch (const nexcage::Error& e) {
    EXPECT_NE(std::string(e.what()).find("mounts[1].source: "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("too large"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fsys::exists(t.copies));
}
