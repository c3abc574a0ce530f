// A process that starts one long-running child through startProcess, prints its pid and then ends as told:
//   node --import tsx daemon-parent.ts <log file> wait|throw|exit|graceful [detached]
// processes.test.ts kills or watches it and checks whether the child outlived it. `graceful` handles SIGINT itself
// (as npm start and demo:machines do): it prints whether the child is still alive a moment later, then exits.
import { startProcess } from "../processes.ts";

const [logPath, ending, detached] = process.argv.slice(2);
if (!logPath || !ending) throw new Error("usage: daemon-parent.ts <log file> wait|throw|exit|graceful [detached]");
const child = startProcess({
  name: "sleeper",
  command: "sleep",
  args: ["600"],
  logPath,
  detached: detached === "detached",
});
process.stdout.write(`${child.pid}\n`);
if (ending === "throw")
  setTimeout(() => {
    throw new Error("a test failed outside any hook");
  }, 100);
else if (ending === "exit") setTimeout(() => process.exit(3), 100);
else if (ending === "graceful") {
  process.on("SIGINT", () =>
    setTimeout(() => {
      let state = "alive";
      try {
        process.kill(child.pid, 0);
      } catch {
        state = "dead";
      }
      process.stdout.write(`child ${state} after SIGINT\n`);
      process.exit(0);
    }, 300),
  );
  setInterval(() => undefined, 1_000);
} else setInterval(() => undefined, 1_000);
