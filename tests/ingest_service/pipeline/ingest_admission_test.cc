#include "ingest_service/pipeline/ingest_admission.h"

#include <chrono>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace biocorpus {
namespace {

using ::testing::HasSubstr;

std::chrono::system_clock::time_point In(std::chrono::milliseconds ms) {
  return std::chrono::system_clock::now() + ms;
}

TEST(IngestAdmissionTest, RefusesBeyondTheQueueAndQueuesUpToIt) {
  IngestAdmission admission(/*max_active=*/1, /*max_waiting=*/1);
  ASSERT_TRUE(admission.Acquire(In(std::chrono::hours(1))).ok());

  // One waiter fits in the queue; it gets the turn once the first is done.
  absl::Status waited = absl::UnknownError("not run");
  std::thread waiter([&] { waited = admission.Acquire(In(std::chrono::hours(1))); });
  // Once the waiter is queued, a third caller is refused at once.
  while (admission.waiting() == 0) std::this_thread::yield();
  const absl::Status third = admission.Acquire(In(std::chrono::hours(1)));
  EXPECT_EQ(third.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(third.message()), HasSubstr("--max_concurrent_ingests"));
  admission.Release();
  waiter.join();
  EXPECT_TRUE(waited.ok()) << waited;
  admission.Release();
}

TEST(IngestAdmissionTest, AWaiterGivesUpAtItsDeadline) {
  IngestAdmission admission(1, 4);
  ASSERT_TRUE(admission.Acquire(In(std::chrono::hours(1))).ok());
  const absl::Status late = admission.Acquire(In(std::chrono::milliseconds(20)));
  EXPECT_EQ(late.code(), absl::StatusCode::kDeadlineExceeded);
  admission.Release();
  EXPECT_TRUE(admission.Acquire(In(std::chrono::milliseconds(0))).ok());
  admission.Release();
}

}  // namespace
}  // namespace biocorpus
