#include "ingest_service/pipeline/stream_ingester.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/ingest_service/pipeline/pipeline_fixture.h"

namespace biocorpus {
namespace {

// A stream fed from a list of inputs that records every answer.
struct FakeStream {
  std::vector<DocumentInput> inputs;
  std::mutex mu;
  size_t reads = 0;
  std::vector<int64_t> indexes;
  std::vector<absl::StatusOr<IngestOutcome>> outcomes;
  // Checked before each answer is taken; false stops taking answers.
  std::function<bool(size_t reads, size_t answered)> on_write = [](size_t, size_t) {
    return true;
  };

  StreamCallbacks Callbacks() {
    StreamCallbacks callbacks;
    callbacks.read = [this](DocumentInput* input) {
      std::lock_guard<std::mutex> lock(mu);
      if (reads == inputs.size()) return false;
      *input = inputs[reads++];
      return true;
    };
    callbacks.write = [this](int64_t index, const std::string&,
                             absl::StatusOr<IngestOutcome> outcome) {
      std::lock_guard<std::mutex> lock(mu);
      if (!on_write(reads, indexes.size())) return false;
      indexes.push_back(index);
      outcomes.push_back(std::move(outcome));
      return true;
    };
    return callbacks;
  }
};

class StreamIngesterTest : public testing::PipelineTest {
 protected:
  StreamSummary Run(FakeStream* stream, const StreamIngesterOptions& options = {},
                    const CallControl& call = {}) {
    return StreamIngester(pipeline_.get(), options).Run(stream->Callbacks(), call);
  }
};

TEST_F(StreamIngesterTest, AnswersComeInReadOrder) {
  FakeStream stream;
  for (int i = 0; i < 40; ++i) stream.inputs.push_back(Input(Record(i)));
  const StreamSummary summary = Run(&stream);
  EXPECT_TRUE(summary.status.ok()) << summary.status;
  EXPECT_TRUE(summary.stored);
  EXPECT_EQ(summary.answered, 40);
  ASSERT_EQ(stream.indexes.size(), 40u);
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(stream.indexes[i], i);
    ASSERT_TRUE(stream.outcomes[i].ok()) << stream.outcomes[i].status();
    EXPECT_EQ(stream.outcomes[i]->front().written.document.title(),
              "Record " + std::to_string(i));
  }
  EXPECT_EQ(StoredDocuments(), 40u);
}

TEST_F(StreamIngesterTest, ARefusedInputIsAnsweredOnItsOwnAndTheStreamGoesOn) {
  FakeStream stream;
  stream.inputs = {Input(Record(1)), Input("\x01 binary"), Input(Record(2))};
  const StreamSummary summary = Run(&stream);
  EXPECT_TRUE(summary.status.ok()) << summary.status;
  ASSERT_EQ(stream.outcomes.size(), 3u);
  EXPECT_TRUE(stream.outcomes[0].ok());
  EXPECT_EQ(stream.outcomes[1].status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(stream.outcomes[2].ok());
  EXPECT_EQ(StoredDocuments(), 2u);
}

TEST_F(StreamIngesterTest, ALaterVersionOfADocumentWins) {
  FakeStream stream;
  for (int version = 0; version < 20; ++version) {
    stream.inputs.push_back(Input(Record(7, "Version " + std::to_string(version))));
    stream.inputs.push_back(Input(Record(100 + version)));
  }
  ASSERT_TRUE(Run(&stream).status.ok());
  ASSERT_EQ(stream.outcomes.size(), 40u);
  for (int version = 0; version < 20; ++version) {
    const absl::StatusOr<IngestOutcome>& outcome = stream.outcomes[2 * version];
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_EQ(outcome->front().written.kind,
              version == 0 ? WriteKind::kCreated : WriteKind::kUpdated);
  }
  absl::StatusOr<std::vector<std::string>> ids = writer_->ListDocumentIds("", 100);
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(ids->size(), 21u);
  const std::string last = stream.outcomes[38]->front().written.document.title();
  EXPECT_EQ(last, "Version 19 7");
}

TEST_F(StreamIngesterTest, AFullWindowStopsReading) {
  for (const size_t window_bytes : {size_t{64} << 20, size_t{1}}) {
    SCOPED_TRACE(window_bytes);
    FakeStream stream;
    for (int i = 0; i < 30; ++i) stream.inputs.push_back(Input(Record(i)));
    StreamIngesterOptions options;
    options.window = 3;
    options.window_bytes = window_bytes;  // 1: one input at a time.
    const size_t held = window_bytes == 1 ? 1 : options.window;
    size_t worst = 0;
    stream.on_write = [&](size_t reads, size_t answered) {
        // The group being answered, a window refilled meanwhile, and one read
      // waiting for room.
      worst = std::max(worst, reads - answered);
      return true;
    };
    ASSERT_TRUE(Run(&stream, options).status.ok());
    EXPECT_EQ(stream.outcomes.size(), 30u);
    EXPECT_LE(worst, 2 * held + 1);
  }
}

TEST_F(StreamIngesterTest, ACancelledStreamStopsAndSaysSo) {
  FakeStream stream;
  for (int i = 0; i < 200; ++i) stream.inputs.push_back(Input(Record(i)));
  std::atomic<bool> cancelled{false};
  stream.on_write = [&](size_t, size_t answered) {
    if (answered == 5) cancelled = true;
    return true;
  };
  CallControl call;
  call.cancelled = [&] { return cancelled.load(); };
  StreamIngesterOptions options;
  options.window = 2;
  const StreamSummary summary = Run(&stream, options, call);
  EXPECT_EQ(summary.status.code(), absl::StatusCode::kCancelled) << summary.status;
  EXPECT_LT(summary.answered, 200);
  EXPECT_LT(stream.reads, 200u);
  // Everything answered is stored.
  for (const absl::StatusOr<IngestOutcome>& outcome : stream.outcomes) {
    if (!outcome.ok()) continue;
    const std::string id = outcome->front().written.document.name().substr(10);
    absl::StatusOr<std::vector<std::string>> ids = writer_->ListDocumentIds("", 1000);
    ASSERT_TRUE(ids.ok());
    EXPECT_NE(std::find(ids->begin(), ids->end(), id), ids->end());
  }
}

TEST_F(StreamIngesterTest, AReceiverThatGoesAwayCancelsTheStream) {
  FakeStream stream;
  for (int i = 0; i < 10; ++i) stream.inputs.push_back(Input(Record(i)));
  stream.on_write = [](size_t, size_t) { return false; };
  const StreamSummary summary = Run(&stream);
  EXPECT_EQ(summary.status.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(summary.answered, 0);
  EXPECT_TRUE(stream.outcomes.empty());
}

TEST_F(StreamIngesterTest, AnEmptyStreamEndsAtOnce) {
  FakeStream stream;
  const StreamSummary summary = Run(&stream);
  EXPECT_TRUE(summary.status.ok());
  EXPECT_EQ(summary.answered, 0);
  EXPECT_FALSE(summary.stored);
}

}  // namespace
}  // namespace biocorpus
