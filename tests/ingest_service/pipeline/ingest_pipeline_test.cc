#include "ingest_service/pipeline/ingest_pipeline.h"

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "corpus/vocabulary/vocabulary.h"
#include "gtest/gtest.h"
#include "ingest_service/pipeline/retagger.h"
#include "ingest_service/tagging/concept_matcher.h"
#include "tests/ingest_service/pipeline/pipeline_fixture.h"

namespace biocorpus {
namespace {

using IngestPipelineTest = testing::PipelineTest;

TEST_F(IngestPipelineTest, OneInputInOneOutcomeOut) {
  absl::StatusOr<IngestOutcome> outcome = pipeline_->Ingest(
      Input("TITLE=One ABSTRACT=See doi:10.5555/cited.1 now. DOI=10.5555/one"), CallControl());
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  ASSERT_EQ(outcome->size(), 1u);
  const RecordOutcome& record = outcome->front();
  EXPECT_EQ(record.written.kind, WriteKind::kCreated);
  EXPECT_EQ(record.written.document.passage_count(), 2);
  EXPECT_EQ(record.written.document.source_uri(), "test");
  EXPECT_EQ(record.written.citation_count, 2);  // Its own record and the mention.
  EXPECT_GT(record.written.sequence, 0u);
  EXPECT_EQ(StoredDocuments(), 1u);

  outcome = pipeline_->Ingest(
      Input("TITLE=One ABSTRACT=See doi:10.5555/cited.1 now. DOI=10.5555/one"), CallControl());
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->front().written.kind, WriteKind::kUnchanged);
}

TEST_F(IngestPipelineTest, TheRecordsOfOneFileAreWrittenTogether) {
  absl::StatusOr<IngestOutcome> outcome =
      pipeline_->Ingest(Input(Record(1) + "\n\n" + Record(2)), CallControl());
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  ASSERT_EQ(outcome->size(), 2u);
  EXPECT_EQ((*outcome)[0].written.sequence, (*outcome)[1].written.sequence);
  EXPECT_EQ(StoredDocuments(), 2u);
}

TEST_F(IngestPipelineTest, ConcurrentCallsEachGetTheirOwnOutcome) {
  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  std::vector<std::vector<absl::StatusOr<IngestOutcome>>> outcomes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        // Every thread also ingests the shared record 0: one of them
        // creates it, the others find it unchanged.
        const int n = i == 0 ? 0 : 1 + t * kEach + i;
        outcomes[t].push_back(pipeline_->Ingest(Input(Record(n)), CallControl()));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  int created = 0;
  int unchanged = 0;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(outcomes[t].size(), static_cast<size_t>(kEach));
    for (int i = 0; i < kEach; ++i) {
      const absl::StatusOr<IngestOutcome>& outcome = outcomes[t][i];
      ASSERT_TRUE(outcome.ok()) << outcome.status();
      ASSERT_EQ(outcome->size(), 1u);
      const v1::Document& document = outcome->front().written.document;
      const int n = i == 0 ? 0 : 1 + t * kEach + i;
      EXPECT_EQ(document.title(), "Record " + std::to_string(n)) << "thread " << t;
      if (outcome->front().written.kind == WriteKind::kCreated) ++created;
      if (outcome->front().written.kind == WriteKind::kUnchanged) ++unchanged;
    }
  }
  EXPECT_EQ(created, kThreads * (kEach - 1) + 1);
  EXPECT_EQ(unchanged, kThreads - 1);
  EXPECT_EQ(StoredDocuments(), static_cast<uint64_t>(kThreads * (kEach - 1) + 1));
}

TEST_F(IngestPipelineTest, ACallerThatGivesUpWhileItsGroupGathersWritesNothing) {
  // Still wanted when prepared (the first question), given up by the time
  // its group is written (the second).
  int asked = 0;
  CallControl call;
  call.cancelled = [&asked] { return ++asked > 1; };
  absl::StatusOr<IngestOutcome> outcome = pipeline_->Ingest(Input(Record(7)), call);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kCancelled) << outcome.status();
  EXPECT_EQ(asked, 2);
  EXPECT_EQ(StoredDocuments(), 0u);
}

TEST_F(IngestPipelineTest, RefusalsWriteNothing) {
  struct Case {
    const char* name;
    DocumentInput input;
    CallControl call;
    absl::StatusCode code;
  };
  CallControl late;
  late.deadline = std::chrono::system_clock::now() - std::chrono::seconds(1);
  CallControl cancelled;
  cancelled.cancelled = [] { return true; };
  const std::vector<Case> cases = {
      {"binary", Input(std::string("TITLE=x\x01\x02\x03", 10)), CallControl(),
       absl::StatusCode::kInvalidArgument},
      {"empty", Input("  \n"), CallControl(), absl::StatusCode::kInvalidArgument},
      {"deadline passed", Input(Record(1)), late, absl::StatusCode::kDeadlineExceeded},
      {"cancelled", Input(Record(2)), cancelled, absl::StatusCode::kCancelled},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(pipeline_->Ingest(c.input, c.call).status().code(), c.code);
  }
  EXPECT_EQ(StoredDocuments(), 0u);
}

TEST_F(IngestPipelineTest, AFullAdmissionQueueIsResourceExhausted) {
  IngestAdmission admission(1, 0);
  IngestPipelineOptions options;
  options.admission = &admission;
  const IngestPipeline bounded(options, nullptr, writer_.get());
  ASSERT_TRUE(admission.Acquire(std::chrono::system_clock::time_point::max()).ok());
  EXPECT_EQ(bounded.Ingest(Input(Record(1)), CallControl()).status().code(),
            absl::StatusCode::kResourceExhausted);
  admission.Release();
  EXPECT_TRUE(bounded.Ingest(Input(Record(1)), CallControl()).ok());
}

TEST_F(IngestPipelineTest, CommitKeepsEachInputsOwnOutcomeInOrder) {
  std::vector<PreparedInput> group;
  group.push_back(pipeline_->Prepare(Input(Record(1, "First")), CallControl()));
  group.push_back(pipeline_->Prepare(Input("\x01"), CallControl()));
  group.push_back(pipeline_->Prepare(Input(Record(1, "Second")), CallControl()));
  std::vector<absl::StatusOr<IngestOutcome>> outcomes =
      pipeline_->Commit(std::move(group), CallControl());
  ASSERT_EQ(outcomes.size(), 3u);
  ASSERT_TRUE(outcomes[0].ok()) << outcomes[0].status();
  EXPECT_EQ(outcomes[0]->front().written.kind, WriteKind::kCreated);
  EXPECT_EQ(outcomes[1].status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(outcomes[2].ok()) << outcomes[2].status();
  EXPECT_EQ(outcomes[2]->front().written.kind, WriteKind::kUpdated);
  EXPECT_EQ(outcomes[2]->front().written.document.title(), "Second 1");
  EXPECT_EQ(StoredDocuments(), 1u);
}

TEST_F(IngestPipelineTest, TheRetaggerTagsWhatAnotherVocabularyTagged) {
  absl::StatusOr<std::shared_ptr<const Vocabulary>> vocabulary = Vocabulary::BuiltIn();
  ASSERT_TRUE(vocabulary.ok()) << vocabulary.status();
  absl::StatusOr<std::unique_ptr<ConceptMatcher>> matcher = ConceptMatcher::Build(*vocabulary);
  ASSERT_TRUE(matcher.ok()) << matcher.status();
  const ConceptTagger tagger(std::move(*matcher));
  // Written untagged (this fixture's pipeline has no tagger).
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(pipeline_->Ingest(Input(Record(i, "CRISPR gene editing")), CallControl()).ok());
  }
  const Retagger retagger(&tagger, writer_.get());
  absl::StatusOr<Retagger::Result> result = retagger.Run(/*force=*/false);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->examined, 3);
  EXPECT_EQ(result->retagged, 3);
  EXPECT_EQ(result->vocabulary_version, (*vocabulary)->version());
  EXPECT_EQ(result->sequence, writer_->Sequence());
  result = retagger.Run(/*force=*/false);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->retagged, 0);
  result = retagger.Run(/*force=*/true);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->retagged, 3);
  std::atomic<bool> stop{true};
  result = retagger.Run(/*force=*/true, &stop);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->retagged, 0);
}

}  // namespace
}  // namespace biocorpus
