#include "ingest_service/server/ingest_service_impl.h"

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "corpus/model/resource_names.h"
#include "corpus/rpc/bearer_token.h"
#include "corpus/rpc/grpc_status.h"
#include "spdlog/spdlog.h"

namespace biocorpus {
namespace {

v1::IngestStatus ToIngestStatus(WriteKind kind) {
  switch (kind) {
    case WriteKind::kCreated:
      return v1::CREATED;
    case WriteKind::kUpdated:
      return v1::UPDATED;
    case WriteKind::kUnchanged:
      return v1::UNCHANGED;
  }
  return v1::INGEST_STATUS_UNSPECIFIED;
}

}  // namespace

absl::Status IngestServiceImpl::Authorize(const grpc::ServerContext& context,
                                          const char* method) const {
  if (token_.empty()) return absl::OkStatus();
  absl::Status status = CheckBearerToken(context, token_);
  if (!status.ok()) {
    spdlog::debug("refused method={} peer={} code={} reason=\"{}\"", method, context.peer(),
                 absl::StatusCodeToString(status.code()), std::string(status.message()));
  }
  return status;
}

absl::Status IngestServiceImpl::Ingest(const grpc::ServerContext& context,
                                       const v1::IngestDocumentRequest& request,
                                       v1::IngestDocumentResponse* response) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed_ms = [&start] {
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now() - start)
        .count();
  };
  absl::Status admitted =
      admission_ == nullptr ? absl::OkStatus() : admission_->Acquire(context.deadline());
  AdmissionTurn turn(admitted.ok() ? admission_ : nullptr);
  absl::StatusOr<std::vector<ParsedDocument>> parsed =
      admitted.ok()
          ? parser_->Parse(request.content(), request.format(), request.source_uri())
          : absl::StatusOr<std::vector<ParsedDocument>>(admitted);
  if (parsed.ok()) {
    for (ParsedDocument& document : *parsed) tagger_->Tag(&document);
    // A caller that has given up gets nothing written.
    if (std::chrono::system_clock::now() > context.deadline()) {
      parsed = absl::DeadlineExceededError(
          "the call's deadline passed before the write; nothing was written");
    } else if (context.IsCancelled()) {
      parsed = absl::CancelledError("the call was cancelled; nothing was written");
    }
  }
  absl::StatusOr<std::vector<WriteResult>> written =
      parsed.ok() ? writer_->WriteAll(*parsed)
                  : absl::StatusOr<std::vector<WriteResult>>(parsed.status());
  if (!written.ok()) {
    if (metrics_ != nullptr) {
      metrics_->AddCounter("biocorpus_ingest_refused_documents_total",
                           "Documents refused, by status code.",
                           absl::StrCat("code=\"", absl::StatusCodeToString(written.status().code()), "\""),
                           1);
    }
    spdlog::warn("ingest source={} code={} reason=\"{}\" ms={:.2f}",
                 request.source_uri(),
                 absl::StatusCodeToString(written.status().code()),
                 std::string(written.status().message()), elapsed_ms());
    return written.status();
  }
  for (size_t i = 0; i < written->size(); ++i) {
    v1::IngestDocumentResponse* out =
        i == 0 ? response : response->add_additional_records();
    const ParsedDocument& document = (*parsed)[i];
    WriteResult& result = (*written)[i];
    int annotations = 0;
    for (const v1::Passage& passage : document.passages) {
      annotations += passage.annotations_size();
    }
    out->set_status(ToIngestStatus(result.kind));
    out->set_passage_count(result.document.passage_count());
    out->set_annotation_count(annotations);
    out->set_citation_count(result.citation_count);
    for (const std::string& warning : document.warnings) out->add_warnings(warning);
    out->set_commit_token(absl::StrCat(result.sequence));
    *out->mutable_document() = std::move(result.document);
    spdlog::info(
        "ingest id={} format={} status={} passages={} source={} ms={:.2f}",
        out->document().name(), v1::DocumentFormat_Name(out->document().format()),
        v1::IngestStatus_Name(out->status()), out->passage_count(),
        request.source_uri(), elapsed_ms());
    if (metrics_ != nullptr) {
      metrics_->AddCounter(
          "biocorpus_ingested_documents_total", "Documents ingested, by format and outcome.",
          absl::StrCat("format=\"", v1::DocumentFormat_Name(out->document().format()),
                       "\",status=\"", v1::IngestStatus_Name(out->status()), "\""),
          1);
    }
  }
  if (metrics_ != nullptr) {
    metrics_->AddCounter("biocorpus_ingested_bytes_total",
                         "Bytes of documents ingested (stored or unchanged).", "",
                         static_cast<double>(request.content().size()));
  }
  return absl::OkStatus();
}

grpc::Status IngestServiceImpl::IngestDocument(
    grpc::ServerContext* context, const v1::IngestDocumentRequest* request,
    v1::IngestDocumentResponse* response) {
  if (absl::Status s = Authorize(*context, "IngestDocument"); !s.ok()) return ToGrpcStatus(s);
  return ToGrpcStatus(Ingest(*context, *request, response));
}

grpc::Status IngestServiceImpl::IngestDocuments(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::IngestDocumentsResponse,
                             v1::IngestDocumentRequest>* stream) {
  if (absl::Status s = Authorize(*context, "IngestDocuments"); !s.ok()) return ToGrpcStatus(s);
  v1::IngestDocumentRequest request;
  int64_t index = 0;
  // A stream that stored something is a bulk load: a snapshot follows it.
  bool wrote = false;
  struct PublishAfter {
    SnapshotPublisher* publisher;
    const bool* wrote;
    ~PublishAfter() {
      if (publisher != nullptr && *wrote) publisher->Nudge();
    }
  } publish_after{publisher_, &wrote};
  while (stream->Read(&request)) {
    if (context->IsCancelled()) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "stream cancelled");
    }
    v1::IngestDocumentsResponse response;
    response.set_index(index++);
    response.set_source_uri(request.source_uri());
    const absl::Status status = Ingest(*context, request, response.mutable_result());
    if (!status.ok()) {
      response.mutable_error()->set_code(static_cast<int>(status.code()));
      response.mutable_error()->set_message(std::string(status.message()));
    } else if (response.result().status() != v1::UNCHANGED) {
      wrote = true;
    }
    if (!stream->Write(response)) {
      return grpc::Status(grpc::StatusCode::CANCELLED,
                          "client stopped reading results");
    }
  }
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::DeleteDocument(
    grpc::ServerContext* context, const v1::DeleteDocumentRequest* request,
    v1::DeleteDocumentResponse* response) {
  if (absl::Status s = Authorize(*context, "DeleteDocument"); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::string> id = ParseDocumentName(request->name());
  if (!id.ok()) return ToGrpcStatus(id.status());
  absl::StatusOr<uint64_t> sequence = writer_->Delete(*id);
  if (!sequence.ok()) return ToGrpcStatus(sequence.status());
  response->set_commit_token(absl::StrCat(*sequence));
  spdlog::info("delete id={}", request->name());
  return grpc::Status::OK;
}

}  // namespace biocorpus

namespace biocorpus {

absl::StatusOr<DocumentWriter::RetagResult> IngestServiceImpl::Retag(
    bool force, const std::atomic<bool>* stop) {
  const auto start = std::chrono::steady_clock::now();
  const std::string& version = tagger_->vocabulary().version();
  absl::StatusOr<DocumentWriter::RetagResult> result = writer_->Retag(
      [this](v1::Document* document, std::vector<v1::Passage>* passages) {
        tagger_->Tag(document, passages);
      },
      version, force, stop);
  if (!result.ok()) {
    spdlog::error("retag failed: {}", result.status().ToString());
    return result;
  }
  spdlog::info("retag vocabulary={} examined={} retagged={} ms={:.0f}", version,
               result->examined, result->retagged,
               std::chrono::duration<double, std::milli>(
                   std::chrono::steady_clock::now() - start)
                   .count());
  return result;
}

grpc::Status IngestServiceImpl::RetagDocuments(
    grpc::ServerContext* context, const v1::RetagDocumentsRequest* request,
    v1::RetagDocumentsResponse* response) {
  if (absl::Status s = Authorize(*context, "RetagDocuments"); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<DocumentWriter::RetagResult> result = Retag(request->force(), nullptr);
  if (!result.ok()) return ToGrpcStatus(result.status());
  response->set_vocabulary_version(tagger_->vocabulary().version());
  response->set_documents_examined(result->examined);
  response->set_documents_retagged(result->retagged);
  response->set_commit_token(absl::StrCat(result->sequence));
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::PublishSnapshot(
    grpc::ServerContext* context, const v1::PublishSnapshotRequest* /*request*/,
    v1::PublishSnapshotResponse* response) {
  if (absl::Status s = Authorize(*context, "PublishSnapshot"); !s.ok()) return ToGrpcStatus(s);
  if (publisher_ == nullptr) {
    return ToGrpcStatus(absl::FailedPreconditionError(
        "snapshots are off: the ingest service runs without --snapshot_dir"));
  }
  absl::StatusOr<SnapshotInfo> info = publisher_->Publish();
  if (!info.ok()) return ToGrpcStatus(info.status());
  response->set_snapshot_id(info->id);
  response->set_commit_token(absl::StrCat(info->sequence));
  response->set_size_bytes(info->size_bytes);
  response->set_created(info->created);
  return grpc::Status::OK;
}

}  // namespace biocorpus
