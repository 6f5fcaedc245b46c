#ifndef BIOCORPUS_TESTS_SUPPORT_REFLECTION_CLIENT_H_
#define BIOCORPUS_TESTS_SUPPORT_REFLECTION_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor_database.h"
#include "google/protobuf/dynamic_message.h"

namespace biocorpus::testing {

// A client that knows the API only through the server's grpc.reflection.v1
// service, as grpcurl does: it compiles no proto files of the project, takes
// requests as JSON and returns responses as JSON.
class ReflectionClient {
 public:
  explicit ReflectionClient(std::shared_ptr<grpc::Channel> channel);

  // The services the server lists. Empty on failure, with error().
  std::vector<std::string> ListServices();

  // The methods of `service` ("pkg.Service"), by name, fetched by reflection.
  std::vector<std::string> ListMethods(const std::string& service);

  struct Result {
    grpc::Status status;
    std::vector<std::string> responses;  // JSON, one per response message
  };
  // Calls `method` ("pkg.Service/Method") with `json_requests` (one per
  // request message; any kind of RPC) and `headers` as call metadata.
  Result Call(const std::string& method, const std::vector<std::string>& json_requests,
              const std::vector<std::pair<std::string, std::string>>& headers = {});

  const std::string& error() const { return error_; }

 private:
  // Loads the file defining `symbol` and its imports into the pool.
  bool LoadSymbol(const std::string& symbol);

  std::shared_ptr<grpc::Channel> channel_;
  google::protobuf::SimpleDescriptorDatabase database_;
  std::unique_ptr<google::protobuf::DescriptorPool> pool_;
  google::protobuf::DynamicMessageFactory factory_;
  std::string error_;
};

// Splits a grpcurl -d argument holding several JSON objects one after the
// other into the objects.
std::vector<std::string> SplitJsonObjects(const std::string& text);

}  // namespace biocorpus::testing

#endif  // BIOCORPUS_TESTS_SUPPORT_REFLECTION_CLIENT_H_
