#pragma once
// How the pct driver proves that a VMID is the Proxmox container it made for one container id
// in one state root. The VMID map and the state record are files that can be edited or go
// stale; the container's own Proxmox config is what Proxmox keeps. nexcage writes a mark as the
// first two lines of the description at create and checks it before every command that acts on
// the VMID, so a map entry naming someone else's guest (or a guest of another state root using
// the same id) is refused instead of exec'd into, signalled, frozen, changed or destroyed.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace nexcage::backend::pct {

// "nexcage container <id>\nnexcage root <backend root>": the backend root (<state root>/.backends/
// pct) tells apart two state roots that use the same container id.
std::string owner_mark(const std::string& id, const std::filesystem::path& backend_root);

// `mark`, a newline and `description`, cut to Proxmox's 8192 characters: the end of the
// description is dropped first (at a line boundary), the mark never.
std::string marked_description(const std::string& mark, const std::string& description);

// Proxmox's decode_text (uri_unescape): %XX -> the byte; anything else stays.
std::string decode_text(std::string_view text);

// The description held in a config file's text (/etc/pve/lxc/<vmid>.conf): the '#' lines of the
// main section (before the first "[...]" line), decoded, joined with newlines.
std::string description_from_config(std::string_view config_text);

// True when `description` is `mark`, or starts with `mark` followed by a newline.
bool carries_mark(std::string_view description, std::string_view mark);

// What nexcage writes after the mark so that a container can be listed and acted on again once
// its state root is gone (a reboot wipes /run): "nexcage created <RFC 3339>" and, when it reads
// back as written, "nexcage bundle <path>".
std::string recovery_lines(const std::string& created, const std::string& bundle);

// A mark and its recovery lines read back from a description; nullopt when the description
// does not start with a mark.
struct ReadMark {
  std::string id;
  std::string backend_root;
  std::string created;  // empty when the description has no such line
  std::string bundle;
};
std::optional<ReadMark> read_mark(std::string_view description);

}  // namespace nexcage::backend::pct
