// Serves simulated daemon methods over real gRPC: services built from the daemons' own .proto files, TLS with the
// simulator's self-signed certificate, and lnd's macaroon check in front of every method. Methods a simulator does
// not implement answer UNIMPLEMENTED, so a client never mistakes a gap for an empty answer.
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { checkMacaroon, MacaroonError, type Permission } from "./macaroon.ts";
import { SimRpcError } from "./rpc-error.ts";
import type { SelfSignedCert } from "./tls.ts";

// biome-ignore lint/suspicious/noExplicitAny: proto-loader messages are dynamic; each handler reads the fields it needs
export type Message = Record<string, any>;
export type UnaryHandler = (request: Message) => Message | Promise<Message>;
/** Writes updates with `send` and resolves when the stream should end (or throws to end it with an error). */
export type StreamHandler = (
  request: Message,
  send: (update: Message) => void,
  call: grpc.ServerWritableStream<Message, Message>,
) => Promise<void>;

export interface MethodSpec {
  permissions: Permission[];
  unary?: UnaryHandler;
  stream?: StreamHandler;
  /** Writes the answer's protobuf bytes instead of protobufjs (a hot path); must produce the same message. */
  serialize?: (response: Message) => Buffer;
}

export interface ServiceSpec {
  /** Absolute path of the .proto file. */
  proto: string;
  /** Other directories imports resolve against. */
  includeDirs?: string[];
  /** Fully qualified service name, e.g. "lnrpc.Lightning". */
  service: string;
  methods: Record<string, MethodSpec>;
}

export interface RunningGrpcServer {
  port: number;
  stop(): Promise<void>;
}

// The options `lightning` itself loads lnd's protos with: snake_case fields, 64-bit integers as strings.
const LOAD_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};
const definitions = new Map<string, grpc.GrpcObject>();

function loadService(spec: ServiceSpec): grpc.ServiceDefinition {
  const key = `${spec.proto}|${(spec.includeDirs ?? []).join(",")}`;
  let loaded = definitions.get(key);
  if (!loaded) {
    loaded = grpc.loadPackageDefinition(
      protoLoader.loadSync(spec.proto, { ...LOAD_OPTIONS, includeDirs: spec.includeDirs ?? [] }),
    );
    definitions.set(key, loaded);
  }
  // biome-ignore lint/suspicious/noExplicitAny: walks the loaded proto package tree by name
  let node: any = loaded;
  for (const part of spec.service.split(".")) node = node?.[part];
  if (!node?.service) throw new Error(`service ${spec.service} not found in ${spec.proto}`);
  return node.service as grpc.ServiceDefinition;
}

function toStatus(error: unknown): Partial<grpc.StatusObject> {
  if (error instanceof SimRpcError) return { code: error.code, details: error.message };
  if (error instanceof MacaroonError) return { code: grpc.status.UNKNOWN, details: error.message };
  // A bug in the simulator itself: say so instead of pretending the daemon refused.
  return { code: grpc.status.INTERNAL, details: `lvdao simulator internal error: ${(error as Error).message}` };
}

const macaroonValues = (metadata: grpc.Metadata) => metadata.get("macaroon").map((value) => value.toString());

export async function startGrpcServer(options: {
  host: string;
  port?: number;
  tls: SelfSignedCert;
  rootKey: Buffer;
  services: ServiceSpec[];
}): Promise<RunningGrpcServer> {
  const server = new grpc.Server({ "grpc.max_send_message_length": -1, "grpc.max_receive_message_length": -1 });
  for (const spec of options.services) {
    const definition = loadService(spec);
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(definition)) {
      const handler = spec.methods[name];
      if (!handler) continue;
      if (method.responseStream && handler.stream) {
        const stream = handler.stream;
        implementation[name] = (call: grpc.ServerWritableStream<Message, Message>) => {
          try {
            checkMacaroon(macaroonValues(call.metadata), options.rootKey, handler.permissions);
          } catch (error) {
            call.emit("error", toStatus(error));
            return;
          }
          stream(call.request, (update) => call.write(update), call).then(
            () => call.end(),
            (error: unknown) => call.emit("error", toStatus(error)),
          );
        };
      } else if (!method.responseStream && !method.requestStream && handler.unary) {
        const unary = handler.unary;
        implementation[name] = (
          call: grpc.ServerUnaryCall<Message, Message>,
          callback: grpc.sendUnaryData<Message>,
        ) => {
          try {
            checkMacaroon(macaroonValues(call.metadata), options.rootKey, handler.permissions);
          } catch (error) {
            callback(toStatus(error));
            return;
          }
          Promise.resolve()
            .then(() => unary(call.request))
            .then(
              (response) => callback(null, response),
              (error: unknown) => callback(toStatus(error)),
            );
        };
      } else {
        throw new Error(`${spec.service}.${name}: handler kind does not match the proto`);
      }
    }
    const customized = Object.fromEntries(
      Object.entries(definition).map(([name, method]) => {
        const serialize = spec.methods[name]?.serialize;
        return [name, serialize ? { ...method, responseSerialize: serialize } : method];
      }),
    ) as grpc.ServiceDefinition;
    server.addService(customized, implementation);
  }
  const credentials = grpc.ServerCredentials.createSsl(null, [
    { private_key: Buffer.from(options.tls.keyPem), cert_chain: Buffer.from(options.tls.certPem) },
  ]);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${options.host}:${options.port ?? 0}`, credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // Open streams (an idle subscription) would hold tryShutdown forever.
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000).unref();
      }),
  };
}
