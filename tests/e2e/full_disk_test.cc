// A full disk: the ingest service writes to a small tmpfs the test mounts,
// a file fills it to below --min_free_disk_mb, and documents written then are
// RESOURCE_EXHAUSTED, naming the free space, while both services stay up;
// once the file is removed writes resume by themselves, and after a SIGKILL
// every acknowledged document is there, no refused one is, and the
// consistency check passes. Skipped, saying why, where the machine does not
// let the test mount a filesystem.

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "corpus/check/consistency_check.h"
#include "corpus/storage/corpus_db.h"
#include "corpus/storage/schema.h"
#include "gtest/gtest.h"
#include "tests/support/service_pair.h"

namespace biocorpus::testing {
namespace {

// A document of about 60 KB, each one different.
std::string Record(int n) {
  std::string abstract;
  for (int i = 0; abstract.size() < 60000; ++i) {
    absl::StrAppend(&abstract, "Biosafety laboratory oversight in Wuhan, record ", n,
                    ", sentence ", i, ". ");
  }
  return absl::StrCat("TITLE=Full disk record ", n, " DOI=10.5555/full.", n,
                      " ABSTRACT=", abstract);
}

// A tmpfs of `megabytes` at `path`, unmounted on destruction.
class Tmpfs {
 public:
  Tmpfs(const std::string& path, int megabytes) : path_(path) {
    std::filesystem::create_directories(path);
    const std::string options = absl::StrCat("size=", megabytes, "m");
    if (::mount("tmpfs", path.c_str(), "tmpfs", 0, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~Tmpfs() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string error_;
};

// Fills the filesystem of `dir` but for `spare` bytes with one file.
bool Fill(const std::string& file, uint64_t spare) {
  struct statvfs fs;
  if (::statvfs(std::filesystem::path(file).parent_path().c_str(), &fs) != 0) return false;
  const uint64_t free = static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
  if (free <= spare) return true;
  const int fd = ::open(file.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) return false;
  const int error = ::posix_fallocate(fd, 0, static_cast<off_t>(free - spare));
  ::close(fd);
  return error == 0;
}

TEST(FullDiskTest, WritesAreRefusedWhileTheDiskIsFullAndResumeWhenSpaceReturns) {
  ServicePair pair;
  const std::string disk = pair.temp_dir() + "/disk";
  Tmpfs tmpfs(disk, 256);
  if (!tmpfs.mounted()) {
    GTEST_SKIP() << "cannot mount a tmpfs at " << disk << " (" << tmpfs.error()
                 << "): the full-disk test needs root or CAP_SYS_ADMIN";
  }
  pair.set_data_dir(disk + "/data");
  const std::vector<std::string> args = {"--sync_writes=true", "--min_free_disk_mb=64"};
  pair.set_ingest_args(args);
  ASSERT_TRUE(pair.Start()) << pair.error();

  std::map<std::string, int> acknowledged;  // Name -> record.
  int next = 0;
  auto ingest = [&](grpc::Status* status) {
    v1::IngestDocumentResponse response;
    const int n = next++;
    *status = pair.Ingest(Record(n), &response);
    if (status->ok()) acknowledged[response.document().name()] = n;
    return n;
  };
  grpc::Status status;
  for (int i = 0; i < 5; ++i) {
    ingest(&status);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  const std::string filler = disk + "/filler";
  ASSERT_TRUE(Fill(filler, 32 << 20));
  int refused = 0;
  std::string refusal;
  for (int i = 0; i < 20; ++i) {
    ingest(&status);
    if (status.ok()) continue;
    ASSERT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << status.error_message() << "\n" << pair.ingest_process().Log();
    if (refused++ == 0) refusal = status.error_message();
  }
  ASSERT_EQ(refused, 20) << "writes went on on a full disk";
  EXPECT_NE(refusal.find("MiB free, less than 64 MiB (--min_free_disk_mb)"), std::string::npos)
      << refusal;
  std::printf("full disk: %zu documents acknowledged, then RESOURCE_EXHAUSTED: %s\n",
              acknowledged.size(), refusal.c_str());

  // Both services are still up: the query service serves what was written.
  ASSERT_EQ(::kill(pair.ingest_process().pid(), 0), 0) << "the ingest service died";
  for (const auto& [name, n] : acknowledged) {
    grpc::ClientContext context;
    v1::GetDocumentRequest request;
    request.set_name(name);
    v1::Document document;
    EXPECT_TRUE(Eventually([&] {
      grpc::ClientContext c;
      return pair.query().GetDocument(&c, request, &document).ok();
    })) << name;
  }

  // Space returns: writes resume without a restart.
  std::filesystem::remove(filler);
  const int resumed_at = next;
  EXPECT_TRUE(Eventually(
      [&] {
        ingest(&status);
        return status.ok();
      },
      std::chrono::seconds(90)))
      << "writes did not resume: " << status.error_message();
  std::printf("full disk: writes resumed after %d more attempts\n", next - resumed_at);

  // Nothing acknowledged is lost, nothing is half-written.
  pair.ingest_process().Signal(SIGKILL);
  pair.ingest_process().Stop(SIGKILL);
  {
    absl::StatusOr<std::unique_ptr<CorpusDb>> db = OpenForCheck(disk + "/data");
    ASSERT_TRUE(db.ok()) << db.status();
    for (const auto& [name, n] : acknowledged) {
      absl::StatusOr<v1::Document> document = (*db)->ReadDocument(DocIdFromName(name));
      ASSERT_TRUE(document.ok()) << name << ": " << document.status();
      EXPECT_EQ(document->title(), absl::StrCat("Full disk record ", n));
    }
    absl::StatusOr<ConsistencyReport> report = CheckConsistency(**db);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->ok()) << FormatConsistencyReport(*report);
    EXPECT_EQ(report->documents, acknowledged.size());
  }
  ASSERT_TRUE(pair.RestartIngest(args)) << pair.error();
  ingest(&status);
  EXPECT_TRUE(status.ok()) << status.error_message();
  pair.query_process().Stop(SIGTERM);
  pair.ingest_process().Stop(SIGTERM);
}

}  // namespace
}  // namespace biocorpus::testing
