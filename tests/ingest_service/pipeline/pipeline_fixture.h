#ifndef BIOCORPUS_TESTS_INGEST_SERVICE_PIPELINE_PIPELINE_FIXTURE_H_
#define BIOCORPUS_TESTS_INGEST_SERVICE_PIPELINE_PIPELINE_FIXTURE_H_

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "ingest_service/pipeline/ingest_pipeline.h"
#include "tests/support/corpus_fixtures.h"
#include "tests/support/server_process.h"

namespace biocorpus::testing {

// A pipeline over a real writer in a temporary directory, tagging with
// `tagger` (none by default).
class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writer_ = OpenTestWriter(temp_.path() + "/db");
    ASSERT_NE(writer_, nullptr);
    pipeline_ = std::make_unique<IngestPipeline>(pipeline_options_, tagger_, writer_.get());
  }

  static DocumentInput Input(std::string content, std::string source_uri = "test") {
    DocumentInput input;
    input.content = std::move(content);
    input.source_uri = std::move(source_uri);
    return input;
  }

  // A citation record with its own DOI, 10.5555/n.<n>.
  static std::string Record(int n, const std::string& title = "Record") {
    return "TITLE=" + title + " " + std::to_string(n) + " DOI=10.5555/n." + std::to_string(n);
  }

  uint64_t StoredDocuments() {
    absl::StatusOr<uint64_t> count = writer_->DocumentCount();
    EXPECT_TRUE(count.ok()) << count.status();
    return count.ok() ? *count : 0;
  }

  TempDir temp_;
  IngestPipelineOptions pipeline_options_;
  const ConceptTagger* tagger_ = nullptr;
  std::unique_ptr<DocumentWriter> writer_;
  std::unique_ptr<IngestPipeline> pipeline_;
};

}  // namespace biocorpus::testing

#endif  // BIOCORPUS_TESTS_INGEST_SERVICE_PIPELINE_PIPELINE_FIXTURE_H_
