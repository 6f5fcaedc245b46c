#include "tests/support/reflection_client.h"

#include <grpcpp/generic/generic_stub.h>

#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"

namespace biocorpus::testing {
namespace {
namespace refl = grpc::reflection::v1;

// Runs one reflection request on a new stream.
bool Ask(grpc::Channel* channel, const refl::ServerReflectionRequest& request,
         refl::ServerReflectionResponse* response) {
  auto stub = refl::ServerReflection::NewStub(
      std::shared_ptr<grpc::Channel>(channel, [](grpc::Channel*) {}));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto stream = stub->ServerReflectionInfo(&context);
  if (!stream->Write(request)) return false;
  stream->WritesDone();
  const bool read = stream->Read(response);
  refl::ServerReflectionResponse ignored;
  while (stream->Read(&ignored)) {
  }
  return stream->Finish().ok() && read;
}

// Serializes a whole ByteBuffer.
std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

}  // namespace

ReflectionClient::ReflectionClient(std::shared_ptr<grpc::Channel> channel)
    : channel_(std::move(channel)),
      pool_(std::make_unique<google::protobuf::DescriptorPool>(&database_)) {}

std::vector<std::string> ReflectionClient::ListServices() {
  refl::ServerReflectionRequest request;
  request.set_list_services("");
  refl::ServerReflectionResponse response;
  std::vector<std::string> services;
  if (!Ask(channel_.get(), request, &response)) {
    error_ = "reflection v1 list_services failed";
    return services;
  }
  for (const auto& service : response.list_services_response().service()) {
    services.push_back(service.name());
  }
  return services;
}

bool ReflectionClient::LoadSymbol(const std::string& symbol) {
  if (pool_->FindFileContainingSymbol(symbol) != nullptr) return true;
  refl::ServerReflectionRequest request;
  request.set_file_containing_symbol(symbol);
  refl::ServerReflectionResponse response;
  if (!Ask(channel_.get(), request, &response) || response.has_error_response()) {
    error_ = "reflection v1 has no symbol " + symbol + ": " +
             response.error_response().error_message();
    return false;
  }
  for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    if (!file.ParseFromString(bytes)) {
      error_ = "reflection v1 sent a file descriptor that does not parse";
      return false;
    }
    database_.Add(file);  // false for files already added, which is fine
  }
  return pool_->FindFileContainingSymbol(symbol) != nullptr;
}

std::vector<std::string> ReflectionClient::ListMethods(const std::string& service) {
  std::vector<std::string> methods;
  if (!LoadSymbol(service)) return methods;
  const google::protobuf::ServiceDescriptor* descriptor = pool_->FindServiceByName(service);
  if (descriptor == nullptr) return methods;
  for (int i = 0; i < descriptor->method_count(); ++i) {
    methods.push_back(descriptor->method(i)->name());
  }
  return methods;
}

ReflectionClient::Result ReflectionClient::Call(
    const std::string& method, const std::vector<std::string>& json_requests,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  Result result;
  const size_t slash = method.find('/');
  const std::string service = method.substr(0, slash);
  if (slash == std::string::npos || !LoadSymbol(service)) {
    result.status = grpc::Status(grpc::StatusCode::INTERNAL, "unknown method " + method + ": " + error_);
    return result;
  }
  const google::protobuf::MethodDescriptor* descriptor =
      pool_->FindMethodByName(service + "." + method.substr(slash + 1));
  if (descriptor == nullptr) {
    result.status = grpc::Status(grpc::StatusCode::INTERNAL, "no method " + method);
    return result;
  }
  std::vector<grpc::ByteBuffer> requests;
  for (const std::string& json : json_requests) {
    std::unique_ptr<google::protobuf::Message> message(
        factory_.GetPrototype(descriptor->input_type())->New());
    const auto parsed = google::protobuf::util::JsonStringToMessage(json, message.get());
    if (!parsed.ok()) {
      result.status = grpc::Status(grpc::StatusCode::INTERNAL,
                                   "request JSON does not parse: " + parsed.ToString());
      return result;
    }
    const std::string bytes = message->SerializeAsString();
    grpc::Slice slice(bytes);
    requests.emplace_back(&slice, 1);
  }

  grpc::GenericStub stub(channel_);
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  for (const auto& [key, value] : headers) context.AddMetadata(key, value);
  auto call = stub.PrepareCall(&context, "/" + method, &queue);
  void* tag = nullptr;
  bool ok = false;
  auto step = [&]() { return queue.Next(&tag, &ok) && ok; };
  call->StartCall(reinterpret_cast<void*>(1));
  bool open = step();
  for (const grpc::ByteBuffer& request : requests) {
    if (!open) break;
    call->Write(request, reinterpret_cast<void*>(2));
    open = step();
  }
  if (open) {
    call->WritesDone(reinterpret_cast<void*>(3));
    step();
  }
  while (true) {
    grpc::ByteBuffer buffer;
    call->Read(&buffer, reinterpret_cast<void*>(4));
    if (!step()) break;
    std::unique_ptr<google::protobuf::Message> message(
        factory_.GetPrototype(descriptor->output_type())->New());
    message->ParseFromString(Flatten(buffer));
    std::string json;
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = false;
    (void)google::protobuf::util::MessageToJsonString(*message, &json, options);
    result.responses.push_back(json);
  }
  call->Finish(&result.status, reinterpret_cast<void*>(5));
  queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  return result;
}

std::vector<std::string> SplitJsonObjects(const std::string& text) {
  std::vector<std::string> objects;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      if (depth++ == 0) start = i;
    } else if (c == '}') {
      if (--depth == 0) objects.push_back(text.substr(start, i - start + 1));
    }
  }
  return objects;
}

}  // namespace biocorpus::testing
