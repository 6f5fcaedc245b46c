#ifndef BIOCORPUS_INGEST_SERVICE_PIPELINE_INGEST_PIPELINE_H_
#define BIOCORPUS_INGEST_SERVICE_PIPELINE_INGEST_PIPELINE_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/concurrency/group_commit.h"
#include "corpus/rpc/metrics.h"
#include "ingest_service/pipeline/document_input.h"
#include "ingest_service/pipeline/document_preparer.h"
#include "ingest_service/pipeline/ingest_admission.h"
#include "ingest_service/writer/document_writer.h"

namespace biocorpus {

struct IngestPipelineOptions {
  DocumentParserOptions parser;
  // Bounds the inputs prepared at once; null admits every one.
  IngestAdmission* admission = nullptr;
  // Counts documents, bytes and refusals; may be null.
  Metrics* metrics = nullptr;
  // The most single inputs (Ingest) written in one group commit.
  size_t max_group = 64;
};

// An input on its way: prepared (or refused), not yet written.
struct PreparedInput {
  std::string source_uri;
  size_t content_bytes = 0;
  std::chrono::steady_clock::time_point start;
  absl::StatusOr<std::vector<ParsedDocument>> documents = absl::UnknownError("not prepared");
};

// The ingest core, without gRPC: one input in, one outcome out, through the
// stages of DocumentPreparer and then DocumentWriter. Every outcome is logged
// (one line per document) and counted. Thread-safe; what it is given must
// outlive it.
class IngestPipeline {
 public:
  IngestPipeline(const IngestPipelineOptions& options, const ConceptTagger* tagger,
                 DocumentWriter* writer);
  IngestPipeline(const IngestPipeline&) = delete;
  IngestPipeline& operator=(const IngestPipeline&) = delete;

  // Prepares and writes one input; inputs of concurrent calls are written
  // in group commits (one WriteBatch, one fsync for all that wait). The
  // records of a multi-record input are written together or not at all. Errors: what the parser refuses
  // (InvalidArgument, ResourceExhausted), ResourceExhausted when admission
  // is full, DeadlineExceeded or Cancelled when the caller gave up before
  // the write (nothing is written then), and storage errors.
  absl::StatusOr<IngestOutcome> Ingest(DocumentInput input, const CallControl& call) const;

  // The two halves of Ingest, which a stream runs apart (StreamIngester).
  //
  // Prepare runs the stages before the write within an admission turn;
  // many may run at once.
  PreparedInput Prepare(DocumentInput input, const CallControl& call) const;

  // Writes prepared inputs in order in one group commit (one WriteBatch,
  // one fsync): each succeeds or fails on its own, a later one sees the
  // documents of an earlier one. One outcome per input, in order; an input
  // that was refused keeps its refusal. Nothing is written when the caller
  // has given up.
  std::vector<absl::StatusOr<IngestOutcome>> Commit(std::vector<PreparedInput> group,
                                                    const CallControl& call) const;

  const DocumentPreparer& preparer() const { return preparer_; }

 private:
  // One caller's prepared input, waiting for a group commit.
  struct Waiting {
    PreparedInput input;
    const CallControl* call;
  };
  using UnaryGroups = GroupCommit<Waiting, absl::StatusOr<IngestOutcome>>;

  // Writes the inputs of concurrent Ingest calls; each caller that gave up
  // meanwhile gets its own refusal.
  std::vector<absl::StatusOr<IngestOutcome>> CommitWaiting(std::vector<Waiting> waiting) const;

  // Logs and counts one input's outcome.
  void Report(const PreparedInput& input, const absl::StatusOr<IngestOutcome>& outcome) const;

  IngestPipelineOptions options_;
  DocumentPreparer preparer_;
  DocumentWriter* writer_;
  std::unique_ptr<UnaryGroups> unary_groups_;
};

}  // namespace biocorpus

#endif  // BIOCORPUS_INGEST_SERVICE_PIPELINE_INGEST_PIPELINE_H_
