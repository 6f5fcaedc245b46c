// A bad snapshot never replaces a good one. Snapshots are published by the
// real publisher into one directory and copied, file by file and their
// metadata last (as the publisher makes them visible), into the directory a
// follower reads, some of them damaged on the way: a file corrupted, one cut
// short, one missing, a metadata file cut short. The follower keeps the
// snapshot it serves through each, counts the failures, and takes the next
// good one.

#include "query_service/snapshot/snapshot_follower.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "corpus/storage/corpus_db.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/snapshot/snapshot_publisher.h"
#include "rocksdb/write_batch.h"
#include "tests/support/server_process.h"

namespace biocorpus::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

enum class Damage { kNone, kCorrupted, kTruncated, kMissing, kMetadataCut };

// The files a snapshot is made of, as its metadata file lists them.
std::vector<std::string> FilesOf(const std::string& dir, uint32_t id) {
  std::ifstream meta(absl::StrCat(dir, "/meta/", id));
  std::vector<std::string> files;
  for (std::string line; std::getline(meta, line);) {
    const std::string first = line.substr(0, line.find(' '));
    if (first.find('/') != std::string::npos) files.push_back(first);
  }
  return files;
}

void Flip(const fs::path& path) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekg(0, std::ios::end);
  const std::streamoff size = file.tellg();
  ASSERT_GT(size, 0);
  file.seekg(size / 2);
  char byte = 0;
  file.read(&byte, 1);
  file.seekp(size / 2);
  byte = static_cast<char>(byte ^ 0x5A);
  file.write(&byte, 1);
}

void CutInHalf(const fs::path& path) { fs::resize_file(path, fs::file_size(path) / 2); }

// Copies snapshot `id` from `from` to `to`, its files first and its
// metadata last under a temporary name made visible by a rename; `damage`
// is done to the largest file that snapshot `previous` does not share.
void CopySnapshot(const std::string& from, const std::string& to, uint32_t id,
                  uint32_t previous, Damage damage) {
  const std::vector<std::string> files = FilesOf(from, id);
  ASSERT_FALSE(files.empty());
  std::set<std::string> shared;
  if (previous != 0) {
    for (const std::string& f : FilesOf(from, previous)) shared.insert(f);
  }
  std::string victim;
  for (const std::string& f : files) {
    if (shared.count(f) == 0 &&
        (victim.empty() || fs::file_size(fs::path(from) / f) > fs::file_size(fs::path(from) / victim))) {
      victim = f;
    }
  }
  ASSERT_FALSE(victim.empty()) << "snapshot " << id << " has no file of its own";
  for (const std::string& f : files) {
    const fs::path target = fs::path(to) / f;
    fs::create_directories(target.parent_path());
    if (damage == Damage::kMissing && f == victim) {
      fs::remove(target);
      continue;
    }
    fs::copy_file(fs::path(from) / f, target, fs::copy_options::overwrite_existing);
    if (f != victim) continue;
    if (damage == Damage::kCorrupted) Flip(target);
    if (damage == Damage::kTruncated) CutInHalf(target);
  }
  fs::create_directories(fs::path(to) / "meta");
  const fs::path temporary = fs::path(to) / "meta" / absl::StrCat(".", id, ".tmp");
  fs::copy_file(fs::path(from) / "meta" / std::to_string(id), temporary,
                fs::copy_options::overwrite_existing);
  if (damage == Damage::kMetadataCut) CutInHalf(temporary);
  fs::rename(temporary, fs::path(to) / "meta" / std::to_string(id));
}

class SnapshotFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CorpusDbOptions options;
    options.path = temp_.path() + "/db";
    absl::StatusOr<std::unique_ptr<CorpusDb>> db = CorpusDb::Open(options);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    SnapshotPublisherOptions publisher_options;
    publisher_options.snapshot_dir = published_;
    publisher_options.keep = 100;
    absl::StatusOr<std::unique_ptr<SnapshotPublisher>> publisher =
        SnapshotPublisher::Open(publisher_options, db_->db());
    ASSERT_TRUE(publisher.ok()) << publisher.status();
    publisher_ = std::move(*publisher);
    SnapshotFollowerOptions follower_options;
    follower_options.snapshot_dir = served_;
    follower_options.restore_dir = temp_.path() + "/restore";
    absl::StatusOr<std::unique_ptr<SnapshotFollower>> follower = SnapshotFollower::Create(
        follower_options, [this](std::shared_ptr<Replica> replica, uint32_t id) {
          serving_ = std::move(replica);
          serving_id_ = id;
        });
    ASSERT_TRUE(follower.ok()) << follower.status();
    follower_ = std::move(*follower);
  }

  void TearDown() override {
    serving_.reset();
    follower_.reset();
    publisher_.reset();
    if (db_ != nullptr) {
      EXPECT_TRUE(db_->Close().ok());
    }
  }

  // Writes something new (enough to flush a file of its own) and publishes
  // a snapshot of it; its info.
  SnapshotInfo WriteAndPublish() {
    rocksdb::WriteBatch batch;
    for (int i = 0; i < 200; ++i) {
      batch.Put(db_->families().meta, absl::StrCat("test/", writes_, "/", i),
                std::string(100, static_cast<char>('a' + writes_ % 26)));
    }
    ++writes_;
    EXPECT_TRUE(db_->Write(&batch, /*sync=*/false).ok());
    absl::StatusOr<SnapshotInfo> info = publisher_->Publish();
    EXPECT_TRUE(info.ok()) << info.status();
    EXPECT_TRUE(info.ok() && info->created);
    return info.ok() ? *info : SnapshotInfo();
  }

  TempDir temp_;
  const std::string published_ = temp_.path() + "/published";
  const std::string served_ = temp_.path() + "/served";
  std::unique_ptr<CorpusDb> db_;
  std::unique_ptr<SnapshotPublisher> publisher_;
  std::unique_ptr<SnapshotFollower> follower_;
  std::shared_ptr<Replica> serving_;
  uint32_t serving_id_ = 0;
  int writes_ = 0;
};

TEST_F(SnapshotFollowerTest, ABadSnapshotNeverReplacesTheOneServedAndTheNextGoodOneIsTaken) {
  const SnapshotInfo good = WriteAndPublish();
  CopySnapshot(published_, served_, good.id, 0, Damage::kNone);
  absl::StatusOr<uint32_t> polled = follower_->Poll();
  ASSERT_TRUE(polled.ok()) << polled.status();
  ASSERT_EQ(*polled, good.id);
  ASSERT_NE(serving_, nullptr);
  EXPECT_EQ(serving_->Sequence(), good.sequence);

  uint32_t previous = good.id;
  uint64_t failures = 0;
  for (Damage damage : {Damage::kCorrupted, Damage::kTruncated, Damage::kMissing}) {
    SCOPED_TRACE(static_cast<int>(damage));
    const SnapshotInfo bad = WriteAndPublish();
    CopySnapshot(published_, served_, bad.id, previous, damage);
    previous = bad.id;
    polled = follower_->Poll();
    // A missing file makes the snapshot incomplete: not offered as the
    // latest, counted all the same.
    if (damage != Damage::kMissing) {
      EXPECT_FALSE(polled.ok()) << "snapshot " << bad.id << " was installed";
      EXPECT_THAT(polled.status().ToString(), HasSubstr(absl::StrCat("snapshot ", bad.id)));
    }
    EXPECT_EQ(follower_->installed(), good.id);
    EXPECT_EQ(serving_id_, good.id);
    EXPECT_EQ(serving_->Sequence(), good.sequence);
    EXPECT_EQ(follower_->failures(), ++failures);
    // Not tried again.
    polled = follower_->Poll();
    ASSERT_TRUE(polled.ok()) << polled.status();
    EXPECT_EQ(*polled, good.id);
    EXPECT_EQ(follower_->failures(), failures);
  }
  // So is one whose metadata is cut short.
  const SnapshotInfo cut = WriteAndPublish();
  CopySnapshot(published_, served_, cut.id, previous, Damage::kMetadataCut);
  previous = cut.id;
  follower_->Poll().IgnoreError();
  EXPECT_EQ(follower_->installed(), good.id);
  EXPECT_EQ(serving_->Sequence(), good.sequence);
  EXPECT_EQ(follower_->failures(), ++failures);

  const SnapshotInfo next = WriteAndPublish();
  CopySnapshot(published_, served_, next.id, previous, Damage::kNone);
  polled = follower_->Poll();
  ASSERT_TRUE(polled.ok()) << polled.status();
  EXPECT_EQ(*polled, next.id);
  EXPECT_EQ(serving_id_, next.id);
  EXPECT_EQ(serving_->Sequence(), next.sequence);
  std::string metrics;
  follower_->AppendMetrics(&metrics);
  EXPECT_THAT(metrics, HasSubstr(absl::StrCat("biocorpus_query_snapshot_failures_total ",
                                              follower_->failures(), "\n")));
  EXPECT_EQ(follower_->failures(), 4u);
  EXPECT_THAT(metrics, HasSubstr(absl::StrCat("biocorpus_query_snapshot_id ", next.id, "\n")));
}

}  // namespace
}  // namespace biocorpus::testing
