#include "examples.hpp"

#include <map>

namespace nexcage::cli {

namespace {

constexpr std::string_view examples_heading = "Examples:\n";

const std::map<std::string_view, std::vector<Example>>& all_examples() {
  static const std::map<std::string_view, std::vector<Example>> examples{
      {"",
       {{"nexcage run --bundle /srv/bundles/web web1",
         "run a container in the foreground, as runc run does"},
        {"nexcage create --image docker.io/library/nginx:1.27 --name web1 --start",
         "Proxmox admins: pull an image, make a Proxmox container of it, start it, print its "
         "VMID"},
        {"nexcage list", "list the containers of the state directory"},
        {"nexcage doctor", "check the host, the config file and every container's record"}}},
      {"create",
       {{"nexcage create --bundle /srv/bundles/web web1",
         "create web1 from a bundle; `nexcage start web1` runs it"},
        {"nexcage --backend crun create --bundle . --pid-file /run/web1.pid web1",
         "create with crun, writing the init's pid where the caller waits for it"},
        {"nexcage create --image ./busybox-oci --name web1 --memory 512 --cores 2 --start",
         "the admin form: a Proxmox container from an OCI image layout, started, its VMID "
         "printed"},
        {"nexcage --backend crun create --image registry.lan:5000/team/app:2 --name app1 -- "
         "serve --debug",
         "pull an image (once, cached by digest) and create a crun container of it, its Cmd "
         "replaced"}}},
      {"start", {{"nexcage start web1", "run the user process of the created container web1"}}},
      {"state",
       {{"nexcage state web1",
         "print web1's OCI state (status, pid, bundle, annotations) as JSON"}}},
      {"kill",
       {{"nexcage kill web1", "send SIGTERM to web1's init"},
        {"nexcage kill --all web1 KILL", "send SIGKILL to every process of web1"},
        {"nexcage kill web1 0", "check that web1's init is alive (exit 0) without signalling it"}}},
      {"delete",
       {{"nexcage delete web1", "delete the stopped container web1"},
        {"nexcage delete --force web1", "kill web1 if it runs, then delete it"}}},
      {"run",
       {{"nexcage run --bundle /srv/bundles/web web1",
         "create and start web1, wait for it, print its exit status as yours, delete it"},
        {"nexcage run -d --bundle /srv/bundles/web web1",
         "start web1 in the background and return"}}},
      {"exec",
       {{"nexcage exec web1 ps aux", "run ps aux inside web1"},
        {"nexcage exec -t web1 sh", "an interactive shell in web1"},
        {"nexcage exec -p process.json web1", "run the process described by an OCI process.json"}}},
      {"list",
       {{"nexcage list",
         "a table of the containers: id, pid, status, bundle, creation time, owner, backend"},
        {"nexcage list -q", "their ids only"},
        {"nexcage list --format json", "the same as JSON"}}},
      {"ps",
       {{"nexcage ps web1", "the processes of web1, as ps -ef shows them"},
        {"nexcage ps --format json web1", "their pids as a JSON array"}}},
      {"pause",
       {{"nexcage pause web1", "freeze every process of web1; `nexcage resume web1` thaws them"}}},
      {"resume", {{"nexcage resume web1", "thaw the paused container web1"}}},
      {"update",
       {{"nexcage update --memory 512M --cpu-quota 50000 web1",
         "limit web1 to 512 MiB and half a CPU"},
        {"nexcage update -r resources.json web1", "apply an OCI linux.resources document"}}},
      {"events",
       {{"nexcage events --stats web1", "print web1's CPU, memory and pids usage once, as JSON"},
        {"nexcage events --interval 10s web1", "print its statistics every 10 seconds"}}},
      {"features",
       {{"nexcage features", "what the backend new containers are routed to supports, as JSON"}}},
      {"checkpoint",
       {{"nexcage checkpoint --image-path /var/lib/ckpt/web1 web1",
         "dump web1 with CRIU; web1 is gone afterwards"},
        {"nexcage checkpoint --leave-running --image-path /var/lib/ckpt/web1 web1",
         "dump it and keep it running"}}},
      {"restore",
       {{"nexcage restore -d --image-path /var/lib/ckpt/web1 --bundle /srv/bundles/web web1",
         "bring web1 back from its image and return once it runs"}}},
      {"spec",
       {{"nexcage spec", "write a default config.json into the current directory"},
        {"nexcage spec --bundle /srv/bundles/web", "write it into another bundle directory"}}},
      {"image",
       {{"nexcage image ls", "list the pulled images, their digests and the containers using them"},
        {"nexcage image rm docker.io/library/nginx:1.27", "remove an image no container uses"},
        {"nexcage image prune", "remove every image no container uses"}}},
      {"doctor",
       {{"nexcage doctor", "report problems of the host, the config file and the containers"},
        {"nexcage doctor --repair",
         "also remove nexcage's own stale records, after saying which; never a live container"}}},
      {"metrics",
       {{"nexcage metrics", "print the metrics of the default state directory"},
        {"nexcage --root /run/containerd/runc/k8s.io metrics --output "
         "/var/lib/prometheus/node-exporter/nexcage-k8s.prom",
         "write containerd's containers' metrics for node_exporter's textfile collector"}}},
      {"config",
       {{"nexcage config", "show each setting, its value and where it came from"},
        {"nexcage --log-level info config -f json",
         "the same as JSON, with the log level a command given --log-level info would use"}}},
  };
  return examples;
}

}  // namespace

const std::vector<Example>& examples_of(std::string_view command) {
  static const std::vector<Example> none;
  auto it = all_examples().find(command);
  return it == all_examples().end() ? none : it->second;
}

void set_footer(CLI::App& sub, const std::string& prose) {
  std::string text = prose;
  const auto& examples = examples_of(sub.get_parent() == nullptr ? "" : sub.get_name());
  if (!examples.empty()) {
    if (!text.empty()) text += "\n\n";
    text += examples_heading;
    for (const auto& e : examples) text += "  " + e.command + "\n      " + e.what + "\n";
    text.pop_back();
  }
  sub.footer(text);
}

std::string footer_prose(const std::string& footer) {
  auto at = footer.find(examples_heading);
  if (at == std::string::npos) return footer;
  std::string prose = footer.substr(0, at);
  while (!prose.empty() && prose.back() == '\n') prose.pop_back();
  return prose;
}

}  // namespace nexcage::cli
