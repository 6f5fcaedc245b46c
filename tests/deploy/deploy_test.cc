// The deployment as Kubernetes would receive it: renders every kustomize
// overlay with `kubectl kustomize` and checks the objects (probes, security
// context, volumes, ports, and that every flag given to a container is one
// its binary accepts). kubectl comes with the machine image, not with the
// project's scripts: without it these tests skip and say so. Also checks
// that the Dockerfile's runtime stage installs every shared library the
// built binaries load.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/server_process.h"

namespace biocorpus::testing {
namespace {

const std::string kDeployDir = BIOCORPUS_DEPLOY_DIR;

bool HaveKubectl() { return RunCommand("command -v kubectl >/dev/null 2>&1").exit_code == 0; }

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The flags a binary accepts, from its --helpfull listing.
std::set<std::string> FlagsOf(const std::string& binary) {
  static std::map<std::string, std::set<std::string>> cache;
  auto found = cache.find(binary);
  if (found != cache.end()) return found->second;
  const CommandResult help = RunCommand(binary + " --helpfull 2>&1");
  std::set<std::string> flags;
  const std::regex flag_line(R"(^\s+--([a-z0-9_]+) \()");
  std::istringstream lines(help.output);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, flag_line)) flags.insert(match[1]);
  }
  cache[binary] = flags;
  return flags;
}

std::string BinaryPath(const std::string& command) {
  if (command == "biocorpus-ingest") return BIOCORPUS_INGEST_BINARY;
  if (command == "biocorpus-query") return BIOCORPUS_QUERY_BINARY;
  return "";
}

class OverlayTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!HaveKubectl()) {
      GTEST_SKIP() << "kubectl is not on PATH (it comes with the machine image, not "
                      "scripts/install-deps.sh); the rendering test needs it";
    }
    const std::string dir = kDeployDir + "/kustomize/overlays/" + GetParam();
    const CommandResult rendered = RunCommand("kubectl kustomize " + dir + " 2>&1");
    ASSERT_EQ(rendered.exit_code, 0) << rendered.output;
    for (const YAML::Node& object : YAML::LoadAll(rendered.output)) {
      if (!object.IsMap()) continue;
      objects_[object["kind"].as<std::string>() + "/" +
               object["metadata"]["name"].as<std::string>()] = object;
    }
  }

  // The object of `kind` whose name starts with `name` (generated objects
  // carry a hash suffix).
  YAML::Node Find(const std::string& kind, const std::string& name) const {
    for (const auto& [key, object] : objects_) {
      if (key.rfind(kind + "/" + name, 0) == 0) return object;
    }
    return YAML::Node(YAML::NodeType::Undefined);
  }

  // Checks a workload's pod template and returns its one container.
  YAML::Node CheckPod(const YAML::Node& workload, int port, const std::string& binary) {
    SCOPED_TRACE(workload["metadata"]["name"].as<std::string>());
    const YAML::Node pod = workload["spec"]["template"]["spec"];
    EXPECT_TRUE(pod["securityContext"]["runAsNonRoot"].as<bool>(false));
    EXPECT_NE(pod["securityContext"]["runAsUser"].as<int>(0), 0);
    EXPECT_EQ(pod["containers"].size(), 1u);
    const YAML::Node container = pod["containers"][0];
    const YAML::Node security = container["securityContext"];
    EXPECT_TRUE(security["readOnlyRootFilesystem"].as<bool>(false));
    EXPECT_FALSE(security["allowPrivilegeEscalation"].as<bool>(true));
    EXPECT_EQ(security["capabilities"]["drop"][0].as<std::string>(""), "ALL");

    // Native gRPC probes on the serving port (grpc.health.v1).
    for (const char* probe : {"startupProbe", "readinessProbe", "livenessProbe"}) {
      EXPECT_EQ(container[probe]["grpc"]["port"].as<int>(0), port) << probe;
    }
    EXPECT_EQ(container["ports"][0]["containerPort"].as<int>(0), port);
    for (const char* kind : {"requests", "limits"}) {
      EXPECT_TRUE(container["resources"][kind]["cpu"].IsDefined()) << kind;
      EXPECT_TRUE(container["resources"][kind]["memory"].IsDefined()) << kind;
    }

    // Every mount has a volume; secrets and config maps exist or are
    // documented as created by the operator.
    std::set<std::string> volumes;
    for (const YAML::Node& volume : pod["volumes"]) {
      volumes.insert(volume["name"].as<std::string>());
      if (volume["configMap"]) {
        EXPECT_TRUE(Find("ConfigMap", volume["configMap"]["name"].as<std::string>()))
            << "no ConfigMap " << volume["configMap"]["name"];
      }
      if (volume["persistentVolumeClaim"]) {
        EXPECT_TRUE(Find("PersistentVolumeClaim",
                         volume["persistentVolumeClaim"]["claimName"].as<std::string>()));
      }
    }
    for (const YAML::Node& claim : workload["spec"]["volumeClaimTemplates"]) {
      volumes.insert(claim["metadata"]["name"].as<std::string>());
    }
    std::vector<std::string> mount_paths;
    for (const YAML::Node& mount : container["volumeMounts"]) {
      EXPECT_TRUE(volumes.count(mount["name"].as<std::string>())) << mount["name"];
      mount_paths.push_back(mount["mountPath"].as<std::string>());
    }

    // The command is the binary; every flag is one it accepts, the listen
    // port is the container port, and every file or directory a flag names
    // lies on a mounted volume (the root file system is read-only).
    EXPECT_EQ(container["command"][0].as<std::string>(), binary);
    const std::set<std::string> accepted = FlagsOf(BinaryPath(binary));
    EXPECT_GT(accepted.size(), 10u) << "could not list the flags of " << binary;
    const std::regex flag(R"(^--([a-z0-9_]+)=(.*)$)");
    bool has_metrics = false;
    for (const YAML::Node& arg : container["args"]) {
      const std::string text = arg.as<std::string>();
      std::smatch match;
      if (!std::regex_match(text, match, flag)) {
        ADD_FAILURE() << "not a --flag=value: " << text;
        continue;
      }
      const std::string name = match[1];
      const std::string value = match[2];
      EXPECT_TRUE(accepted.count(name)) << binary << " has no flag --" << name;
      if (name == "listen") {
        EXPECT_EQ(value, "0.0.0.0:" + std::to_string(port));
      }
      if (name == "metrics_listen") {
        // Served on a declared port of its own, announced for scraping.
        bool declared = false;
        for (const YAML::Node& p : container["ports"]) {
          if (value == "0.0.0.0:" + p["containerPort"].as<std::string>() &&
              p["name"].as<std::string>() == "metrics") {
            declared = true;
            EXPECT_EQ(workload["spec"]["template"]["metadata"]["annotations"]["prometheus.io/port"]
                          .as<std::string>(""),
                      p["containerPort"].as<std::string>());
          }
        }
        EXPECT_TRUE(declared) << "--metrics_listen=" << value << " is not a declared metrics port";
        has_metrics = true;
      }
      const bool names_path = name.size() > 4 && (name.rfind("_dir") == name.size() - 4 ||
                                                  name.rfind("_file") == name.size() - 5);
      if (names_path || name == "vocabulary") {
        bool on_volume = false;
        for (const std::string& path : mount_paths) {
          if (value == path || value.rfind(path + "/", 0) == 0) on_volume = true;
        }
        EXPECT_TRUE(on_volume) << "--" << name << "=" << value << " is not on a volume";
      }
    }
    EXPECT_TRUE(has_metrics) << "no --metrics_listen";
    return container;
  }

  std::map<std::string, YAML::Node> objects_;
};

TEST_P(OverlayTest, IngestIsOneStatefulReplicaOwningItsVolume) {
  const YAML::Node ingest = Find("StatefulSet", "biocorpus-ingest");
  ASSERT_TRUE(ingest);
  EXPECT_EQ(ingest["spec"]["replicas"].as<int>(), 1);
  EXPECT_EQ(ingest["spec"]["volumeClaimTemplates"][0]["spec"]["accessModes"][0].as<std::string>(),
            "ReadWriteOnce");
  const YAML::Node container = CheckPod(ingest, 50051, "biocorpus-ingest");
  std::string args;
  for (const YAML::Node& arg : container["args"]) args += arg.as<std::string>() + " ";
  EXPECT_NE(args.find("--snapshot_dir="), std::string::npos);
  EXPECT_NE(args.find("--auth_token_file="), std::string::npos);
  EXPECT_NE(args.find("--max_connection_age_ms="), std::string::npos);
  // The token comes from a Secret, the vocabulary from a ConfigMap.
  bool secret = false;
  bool config_map = false;
  for (const YAML::Node& volume : ingest["spec"]["template"]["spec"]["volumes"]) {
    if (volume["secret"]) secret = volume["secret"]["secretName"].as<std::string>() == "biocorpus-ingest-token";
    if (volume["configMap"]) config_map = true;
  }
  EXPECT_TRUE(secret);
  EXPECT_TRUE(config_map);
  // Governing Service.
  EXPECT_TRUE(Find("Service", "biocorpus-ingest"));
}

TEST_P(OverlayTest, QueryReplicasRestoreSnapshotsToLocalDisk) {
  const YAML::Node query = Find("Deployment", "biocorpus-query");
  ASSERT_TRUE(query);
  const int replicas = query["spec"]["replicas"].as<int>();
  if (GetParam() == "dev") {
    EXPECT_EQ(replicas, 1);
  } else {
    EXPECT_GE(replicas, 3);
  }
  const YAML::Node container = CheckPod(query, 50052, "biocorpus-query");
  std::string args;
  for (const YAML::Node& arg : container["args"]) args += arg.as<std::string>() + " ";
  EXPECT_NE(args.find("--mode=snapshot"), std::string::npos);
  EXPECT_NE(args.find("--max_connection_age_ms="), std::string::npos);
  // Never the writer's live files: no data_dir, the shared volume read-only,
  // restores onto a volume of the pod's own.
  EXPECT_EQ(args.find("--data_dir"), std::string::npos);
  for (const YAML::Node& volume : query["spec"]["template"]["spec"]["volumes"]) {
    if (volume["persistentVolumeClaim"]) {
      EXPECT_TRUE(volume["persistentVolumeClaim"]["readOnly"].as<bool>(false));
    }
    if (volume["name"].as<std::string>() == "restore") {
      EXPECT_TRUE(volume["emptyDir"]);
    }
  }
}

TEST_P(OverlayTest, ServicesAllowClientSideBalancingAndGuardIngest) {
  const YAML::Node headless = Find("Service", "biocorpus-query-headless");
  ASSERT_TRUE(headless);
  EXPECT_EQ(headless["spec"]["clusterIP"].as<std::string>(), "None");
  EXPECT_EQ(headless["spec"]["ports"][0]["port"].as<int>(), 50052);
  const YAML::Node policy = Find("NetworkPolicy", "biocorpus-ingest");
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy["spec"]["podSelector"]["matchLabels"]["app.kubernetes.io/name"].as<std::string>(),
            "biocorpus-ingest");
  // The ingest port is open to labelled clients only; another rule may open
  // the metrics port, never the ingest port.
  int ingest_rules = 0;
  for (const YAML::Node& rule : policy["spec"]["ingress"]) {
    ASSERT_TRUE(rule["ports"]) << "a rule without ports opens every port";
    for (const YAML::Node& port : rule["ports"]) {
      if (port["port"].as<int>() != 50051) continue;
      ++ingest_rules;
      EXPECT_EQ(rule["from"].size(), 1u);
      EXPECT_EQ(rule["from"][0]["podSelector"]["matchLabels"]["biocorpus.io/ingest-client"]
                    .as<std::string>(""),
                "true");
      EXPECT_FALSE(rule["from"][0]["namespaceSelector"]);
    }
  }
  EXPECT_EQ(ingest_rules, 1);
}

TEST_P(OverlayTest, ProductionHasDisruptionBudgetAndAutoscaler) {
  const YAML::Node budget = Find("PodDisruptionBudget", "biocorpus-query");
  const YAML::Node scaler = Find("HorizontalPodAutoscaler", "biocorpus-query");
  if (GetParam() == "dev") {
    EXPECT_FALSE(budget);
    EXPECT_FALSE(scaler);
    return;
  }
  ASSERT_TRUE(budget);
  ASSERT_TRUE(scaler);
  EXPECT_GE(budget["spec"]["minAvailable"].as<int>(), 2);
  EXPECT_EQ(scaler["spec"]["scaleTargetRef"]["name"].as<std::string>(), "biocorpus-query");
  EXPECT_GE(scaler["spec"]["minReplicas"].as<int>(), 3);
  EXPECT_GT(scaler["spec"]["maxReplicas"].as<int>(), scaler["spec"]["minReplicas"].as<int>());
}

INSTANTIATE_TEST_SUITE_P(Overlays, OverlayTest, ::testing::Values("dev", "prod"),
                         [](const auto& info) { return info.param; });

TEST(DeployTest, ConfigMapVocabularyIsTheBuiltInOne) {
  EXPECT_EQ(Slurp(kDeployDir + "/kustomize/base/biocorpus-vocabulary.yaml"),
            Slurp(BIOCORPUS_VOCABULARY_FILE))
      << "the ConfigMap's vocabulary is not the built one: run "
         "scripts/generate_vocabulary.py (see deploy/README.md)";
}

TEST(DeployTest, RuntimeImageInstallsEveryLibraryTheBinariesLoad) {
  const std::string dockerfile = Slurp(kDeployDir + "/Dockerfile");
  const size_t runtime = dockerfile.rfind("\nFROM ");
  ASSERT_NE(runtime, std::string::npos);
  const std::string stage = dockerfile.substr(runtime);
  EXPECT_NE(stage.find("USER 10001"), std::string::npos) << "the image must not run as root";
  for (const std::string binary : {BIOCORPUS_INGEST_BINARY, BIOCORPUS_QUERY_BINARY}) {
    const CommandResult packages = RunCommand(
        "ldd " + binary +
        " | awk '/=> \\// {print $3}' | xargs -r readlink -f | xargs -r dpkg -S 2>/dev/null"
        " | cut -d: -f1 | sort -u");
    ASSERT_EQ(packages.exit_code, 0);
    std::istringstream lines(packages.output);
    int checked = 0;
    for (std::string package; std::getline(lines, package);) {
      // A sanitizer build links the sanitizer runtimes; the image is a
      // Release build without them.
      if (package.rfind("libasan", 0) == 0 || package.rfind("libubsan", 0) == 0) continue;
      ++checked;
      EXPECT_NE(stage.find(" " + package + " "), std::string::npos)
          << binary << " needs " << package << ", which the runtime stage does not install";
    }
    EXPECT_GT(checked, 5) << "ldd/dpkg found no packages for " << binary;
  }
}

}  // namespace
}  // namespace biocorpus::testing
