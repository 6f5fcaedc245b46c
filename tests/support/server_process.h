#ifndef BIOCORPUS_TESTS_SUPPORT_SERVER_PROCESS_H_
#define BIOCORPUS_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace biocorpus::testing {

// A real server binary started as a child process on a loopback port the
// kernel picks (--listen=127.0.0.1:0). Start() waits for the
// "<program> listening on HOST:PORT" line on the child's stdout; stderr goes
// to a log file in the test's temporary directory.
class ServerProcess {
 public:
  ServerProcess(std::string binary, std::vector<std::string> args,
                std::string log_path);
  ~ServerProcess();  // Kills the child (SIGKILL) if it is still running.

  // Starts the child and waits up to 60 s for its address. False on failure,
  // with the reason in error().
  bool Start();
  // Sends `signal` and waits for the child; returns its exit status as
  // waitpid reports it.
  int Stop(int signal);
  // Sends `signal` without waiting.
  void Signal(int signal);

  const std::string& address() const { return address_; }
  // What the child printed on stdout up to its "listening on" line.
  const std::string& startup_output() const { return startup_output_; }
  const std::string& error() const { return error_; }
  pid_t pid() const { return pid_; }
  // The child's stderr so far.
  std::string Log() const;

 private:
  std::string binary_;
  std::vector<std::string> args_;
  std::string log_path_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string address_;
  std::string startup_output_;
  std::string error_;
};

// A fresh directory under the system temp directory, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// What a shell command printed on stdout, and how it exited.
struct CommandResult {
  int exit_code = -1;  // -1 when it could not be run or was killed
  std::string output;
};
CommandResult RunCommand(const std::string& command);

}  // namespace biocorpus::testing

#endif  // BIOCORPUS_TESTS_SUPPORT_SERVER_PROCESS_H_
