#include "ingest_service/pipeline/ingest_pipeline.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "spdlog/spdlog.h"

namespace biocorpus {
namespace {

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

absl::string_view KindName(WriteKind kind) {
  switch (kind) {
    case WriteKind::kCreated:
      return "CREATED";
    case WriteKind::kUpdated:
      return "UPDATED";
    case WriteKind::kUnchanged:
      return "UNCHANGED";
  }
  return "UNKNOWN";
}

}  // namespace

absl::Status CallControl::StillWanted() const {
  if (std::chrono::system_clock::now() > deadline) {
    return absl::DeadlineExceededError(
        "the call's deadline passed before the write; nothing was written");
  }
  if (cancelled && cancelled()) {
    return absl::CancelledError("the call was cancelled; nothing was written");
  }
  return absl::OkStatus();
}

IngestPipeline::IngestPipeline(const IngestPipelineOptions& options, const ConceptTagger* tagger,
                               DocumentWriter* writer)
    : options_(options),
      preparer_(options.parser, tagger),
      writer_(writer),
      unary_groups_(std::make_unique<UnaryGroups>(
          options.max_group,
          [this](std::vector<Waiting> waiting) { return CommitWaiting(std::move(waiting)); })) {}

PreparedInput IngestPipeline::Prepare(DocumentInput input, const CallControl& call) const {
  PreparedInput prepared;
  prepared.source_uri = std::move(input.source_uri);
  prepared.content_bytes = input.content.size();
  prepared.start = std::chrono::steady_clock::now();
  IngestAdmission* admission = options_.admission;
  if (admission != nullptr) {
    if (absl::Status admitted = admission->Acquire(call.deadline); !admitted.ok()) {
      prepared.documents = admitted;
      return prepared;
    }
  }
  AdmissionTurn turn(admission);
  prepared.documents = preparer_.Prepare(input.content, input.format, prepared.source_uri);
  if (prepared.documents.ok()) {
    if (absl::Status wanted = call.StillWanted(); !wanted.ok()) prepared.documents = wanted;
  }
  return prepared;
}

std::vector<absl::StatusOr<IngestOutcome>> IngestPipeline::Commit(
    std::vector<PreparedInput> group, const CallControl& call) const {
  std::vector<absl::StatusOr<IngestOutcome>> outcomes(group.size(),
                                                      absl::UnknownError("not written"));
  std::vector<IngestOutcome> notes(group.size());
  std::vector<std::vector<ParsedDocument>> to_write;
  const absl::Status wanted = call.StillWanted();
  for (size_t i = 0; i < group.size(); ++i) {
    PreparedInput& input = group[i];
    if (input.documents.ok() && !wanted.ok()) input.documents = wanted;
    if (!input.documents.ok()) {
      outcomes[i] = input.documents.status();
      continue;
    }
    for (ParsedDocument& document : *input.documents) {
      RecordOutcome& note = notes[i].emplace_back();
      for (const v1::Passage& passage : document.passages) {
        note.annotations += passage.annotations_size();
      }
      note.warnings = std::move(document.warnings);
    }
    to_write.push_back(std::move(*input.documents));
  }
  std::vector<absl::StatusOr<std::vector<WriteResult>>> written =
      writer_->WriteGroup(std::move(to_write));
  size_t next = 0;
  for (size_t i = 0; i < group.size(); ++i) {
    if (group[i].documents.ok()) {
      absl::StatusOr<std::vector<WriteResult>>& result = written[next++];
      if (result.ok()) {
        for (size_t r = 0; r < result->size(); ++r) notes[i][r].written = std::move((*result)[r]);
        outcomes[i] = std::move(notes[i]);
      } else {
        outcomes[i] = result.status();
      }
    }
    Report(group[i], outcomes[i]);
  }
  return outcomes;
}

absl::StatusOr<IngestOutcome> IngestPipeline::Ingest(DocumentInput input,
                                                     const CallControl& call) const {
  PreparedInput prepared = Prepare(std::move(input), call);
  if (!prepared.documents.ok()) {
    Report(prepared, prepared.documents.status());
    return prepared.documents.status();
  }
  return unary_groups_->Commit(Waiting{std::move(prepared), &call});
}

std::vector<absl::StatusOr<IngestOutcome>> IngestPipeline::CommitWaiting(
    std::vector<Waiting> waiting) const {
  std::vector<PreparedInput> group;
  group.reserve(waiting.size());
  for (Waiting& one : waiting) {
    // Each caller's deadline and cancellation hold for its own input; the
    // group itself has none.
    if (absl::Status wanted = one.call->StillWanted(); !wanted.ok()) {
      one.input.documents = wanted;
    }
    group.push_back(std::move(one.input));
  }
  return Commit(std::move(group), CallControl());
}

void IngestPipeline::Report(const PreparedInput& input,
                            const absl::StatusOr<IngestOutcome>& outcome) const {
  const double elapsed_ms = MillisecondsSince(input.start);
  Metrics* metrics = options_.metrics;
  if (!outcome.ok()) {
    const std::string code = absl::StatusCodeToString(outcome.status().code());
    spdlog::warn("ingest source={} code={} reason=\"{}\" ms={:.2f}", input.source_uri, code,
                 std::string(outcome.status().message()), elapsed_ms);
    if (metrics != nullptr) {
      metrics->AddCounter("biocorpus_ingest_refused_documents_total",
                          "Documents refused, by status code.",
                          absl::StrCat("code=\"", code, "\""), 1);
    }
    return;
  }
  for (const RecordOutcome& record : *outcome) {
    const v1::Document& document = record.written.document;
    const std::string format = v1::DocumentFormat_Name(document.format());
    spdlog::info("ingest id={} format={} status={} passages={} source={} ms={:.2f}",
                 document.name(), format, std::string(KindName(record.written.kind)),
                 document.passage_count(), input.source_uri, elapsed_ms);
    if (metrics != nullptr) {
      metrics->AddCounter("biocorpus_ingested_documents_total",
                          "Documents ingested, by format and outcome.",
                          absl::StrCat("format=\"", format, "\",status=\"",
                                       KindName(record.written.kind), "\""),
                          1);
    }
  }
  if (metrics != nullptr) {
    metrics->AddCounter("biocorpus_ingested_bytes_total",
                        "Bytes of documents ingested (stored or unchanged).", "",
                        static_cast<double>(input.content_bytes));
  }
}

}  // namespace biocorpus
