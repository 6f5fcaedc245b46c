#include "ingest_service/server/ingest_service_impl.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "corpus/model/resource_names.h"
#include "corpus/rpc/bearer_token.h"
#include "corpus/rpc/grpc_status.h"
#include "spdlog/spdlog.h"

namespace biocorpus {
namespace {

v1::IngestDocumentResponse::IngestStatus ToIngestStatus(WriteKind kind) {
  switch (kind) {
    case WriteKind::kCreated:
      return v1::IngestDocumentResponse::CREATED;
    case WriteKind::kUpdated:
      return v1::IngestDocumentResponse::UPDATED;
    case WriteKind::kUnchanged:
      return v1::IngestDocumentResponse::UNCHANGED;
  }
  return v1::IngestDocumentResponse::INGEST_STATUS_UNSPECIFIED;
}

CallControl ControlOf(const grpc::ServerContext* context) {
  CallControl call;
  call.deadline = context->deadline();
  call.cancelled = [context] { return context->IsCancelled(); };
  return call;
}

DocumentInput InputOf(v1::IngestDocumentRequest request) {
  DocumentInput input;
  input.content = std::move(*request.mutable_content());
  input.format = request.format();
  input.source_uri = std::move(*request.mutable_source_uri());
  return input;
}

// The response of one input: its first record, then the others.
void FillResponse(IngestOutcome outcome, v1::IngestDocumentResponse* response) {
  for (size_t i = 0; i < outcome.size(); ++i) {
    v1::IngestDocumentResponse* out = i == 0 ? response : response->add_additional_records();
    RecordOutcome& record = outcome[i];
    out->set_status(ToIngestStatus(record.written.kind));
    out->set_passage_count(record.written.document.passage_count());
    out->set_annotation_count(record.annotations);
    out->set_citation_count(record.written.citation_count);
    for (std::string& warning : record.warnings) out->add_warnings(std::move(warning));
    out->set_commit_token(absl::StrCat(record.written.sequence));
    *out->mutable_document() = std::move(record.written.document);
  }
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

grpc::Status IngestServiceImpl::IngestDocument(grpc::ServerContext* context,
                                               const v1::IngestDocumentRequest* request,
                                               v1::IngestDocumentResponse* response) {
  if (absl::Status s = Authorize(*context, "IngestDocument"); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<IngestOutcome> outcome =
      cores_.pipeline->Ingest(InputOf(*request), ControlOf(context));
  if (!outcome.ok()) return ToGrpcStatus(outcome.status());
  FillResponse(std::move(*outcome), response);
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::IngestDocuments(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::IngestDocumentsResponse, v1::IngestDocumentRequest>* stream) {
  if (absl::Status s = Authorize(*context, "IngestDocuments"); !s.ok()) return ToGrpcStatus(s);
  StreamCallbacks callbacks;
  callbacks.read = [stream](DocumentInput* input) {
    v1::IngestDocumentRequest request;
    if (!stream->Read(&request)) return false;
    *input = InputOf(std::move(request));
    return true;
  };
  callbacks.write = [stream](int64_t index, const std::string& source_uri,
                             absl::StatusOr<IngestOutcome> outcome) {
    v1::IngestDocumentsResponse response;
    response.set_index(index);
    response.set_source_uri(source_uri);
    if (outcome.ok()) {
      FillResponse(std::move(*outcome), response.mutable_result());
    } else {
      response.mutable_error()->set_code(static_cast<int>(outcome.status().code()));
      response.mutable_error()->set_message(std::string(outcome.status().message()));
    }
    return stream->Write(response);
  };
  const StreamSummary summary = cores_.streams->Run(callbacks, ControlOf(context));
  // A stream that stored something is a bulk load: a snapshot follows it.
  if (cores_.publisher != nullptr && summary.stored) cores_.publisher->Nudge();
  return ToGrpcStatus(summary.status);
}

grpc::Status IngestServiceImpl::DeleteDocument(grpc::ServerContext* context,
                                               const v1::DeleteDocumentRequest* request,
                                               v1::DeleteDocumentResponse* response) {
  if (absl::Status s = Authorize(*context, "DeleteDocument"); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::string> id = ParseDocumentName(request->name());
  if (!id.ok()) return ToGrpcStatus(id.status());
  absl::StatusOr<uint64_t> sequence = cores_.writer->Delete(*id);
  if (!sequence.ok()) return ToGrpcStatus(sequence.status());
  response->set_commit_token(absl::StrCat(*sequence));
  spdlog::info("delete id={}", request->name());
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::RetagDocuments(grpc::ServerContext* context,
                                               const v1::RetagDocumentsRequest* request,
                                               v1::RetagDocumentsResponse* response) {
  if (absl::Status s = Authorize(*context, "RetagDocuments"); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<Retagger::Result> result = cores_.retagger->Run(request->force());
  if (!result.ok()) return ToGrpcStatus(result.status());
  response->set_vocabulary_version(result->vocabulary_version);
  response->set_documents_examined(result->examined);
  response->set_documents_retagged(result->retagged);
  response->set_commit_token(absl::StrCat(result->sequence));
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::PublishSnapshot(grpc::ServerContext* context,
                                                const v1::PublishSnapshotRequest* /*request*/,
                                                v1::PublishSnapshotResponse* response) {
  if (absl::Status s = Authorize(*context, "PublishSnapshot"); !s.ok()) return ToGrpcStatus(s);
  if (cores_.publisher == nullptr) {
    return ToGrpcStatus(absl::FailedPreconditionError(
        "snapshots are off: the ingest service runs without --snapshot_dir"));
  }
  absl::StatusOr<SnapshotInfo> info = cores_.publisher->Publish();
  if (!info.ok()) return ToGrpcStatus(info.status());
  response->set_snapshot_id(info->id);
  response->set_commit_token(absl::StrCat(info->sequence));
  response->set_size_bytes(info->size_bytes);
  response->set_created(info->created);
  return grpc::Status::OK;
}

}  // namespace biocorpus
