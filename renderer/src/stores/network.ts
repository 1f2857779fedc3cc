/**
 * The network explorer's state: which book network at which size (a size it cannot take is refused and the view
 * kept), which blocks are expanded, the forward pass on the lab's input and the block whose maps are viewed, the
 * probed unit, and two networks compared. Each answer is applied only if nothing newer was asked meanwhile.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { NetworkForwardResponse, NetworkId, NetworkView } from '../../../electron/contract/network-contract';
import { api } from '../api/client';
import { networkChannels, networkInput } from '../components/network/explorer-math';
import { useLabStore } from './lab';

export interface ProbedUnit {
  block: number;
  c: number;
  y: number;
  x: number;
}

export const useNetworkStore = defineStore('network', () => {
  const lab = useLabStore();
  const net = ref<NetworkId>('resnet18');
  const view = shallowRef<NetworkView | null>(null);
  /** Why the last size or network asked for was refused (the view shown is the previous one). */
  const refusal = ref<string | null>(null);
  const loading = ref(false);
  const expanded = ref<Set<number>>(new Set());
  const viewed = ref(0);
  const seed = ref(1);
  const channelStart = ref(0);
  const pass = shallowRef<NetworkForwardResponse | null>(null);
  /** The image the shown pass read (side×side), for the probe's input map. */
  const passInput = shallowRef<{ side: number; data: Float32Array } | null>(null);
  const passError = ref<string | null>(null);
  const running = ref(false);
  /** The engine's speed, measured on the last pass that ran (multiply-adds per second). */
  const speed = ref<number | null>(null);
  /** The pass that ran (not a view answered from it): its multiply-adds and time in the engine. */
  const measured = shallowRef<{ macs: number; elapsedMs: number } | null>(null);
  const probed = ref<ProbedUnit | null>(null);

  let infoTicket = 0;
  let passTicket = 0;
  /** The view being fetched, if any: a pass asked for meanwhile runs on the network chosen last, once it is shown. */
  let showing: Promise<boolean> | null = null;

  /** The network at `side`, or at the size its book listing uses. */
  function show(id: NetworkId, side?: number): Promise<boolean> {
    const fetching = fetchView(id, side);
    showing = fetching;
    void fetching.finally(() => {
      if (showing === fetching) showing = null;
    });
    return fetching;
  }

  async function fetchView(id: NetworkId, side?: number): Promise<boolean> {
    const ticket = ++infoTicket;
    loading.value = true;
    const channels = networkChannels(lab.doc.input) as 1 | 3;
    const answer = await api.explorerInfo(side === undefined ? { net: id, channels } : { net: id, side, channels });
    if (ticket !== infoTicket) return false;
    loading.value = false;
    if (!answer.ok) {
      refusal.value = answer.error.message;
      return false;
    }
    const changed = view.value?.id !== id || view.value.side !== answer.value.side || view.value.input[1] !== answer.value.input[1];
    refusal.value = null;
    net.value = id;
    view.value = answer.value;
    if (changed) {
      // A pass still running belongs to the old view: its answer is dropped and the Run button freed.
      passTicket++;
      running.value = false;
      expanded.value = new Set();
      viewed.value = 0;
      channelStart.value = 0;
      pass.value = null;
      measured.value = null;
      passInput.value = null;
      passError.value = null;
      probed.value = null;
    }
    return true;
  }

  async function choose(id: NetworkId): Promise<void> {
    await show(id);
  }

  async function runPass(): Promise<void> {
    if (showing !== null) await showing;
    // The table must describe the image the pass reads: a lab input that turned RGB (or grey) rebuilds it first.
    if (view.value && view.value.input[1] !== networkChannels(lab.doc.input)) await show(view.value.id, view.value.side);
    const v = view.value;
    if (!v) return;
    const ticket = ++passTicket;
    const side = v.side;
    const channels = networkChannels(lab.doc.input);
    if (channels !== v.input[1]) return;
    const data = networkInput(lab.doc.input, side);
    running.value = true;
    passError.value = null;
    const answer = await api.explorerForward({
      net: v.id, input: { shape: [1, channels, side, side], data: data.slice() }, seed: seed.value, block: viewed.value, channelStart: channelStart.value,
    });
    // Only the newest pass settles the button; a view of another network or size has dropped this one already.
    if (ticket !== passTicket) return;
    running.value = false;
    if (view.value?.id !== v.id || view.value.side !== v.side) return;
    if (!answer.ok) {
      passError.value = answer.error.message;
      return;
    }
    pass.value = answer.value;
    // The probe draws on the first channel (grey, or red).
    passInput.value = { side, data: data.subarray(0, side * side) };
    if (!answer.value.cached) {
      measured.value = { macs: answer.value.macs, elapsedMs: answer.value.elapsedMs };
      if (answer.value.elapsedMs > 0) speed.value = answer.value.macs / (answer.value.elapsedMs / 1000);
    }
  }

  /** Views a block's maps; after a first pass the engine answers from the same pass. */
  function viewBlock(index: number): void {
    viewed.value = index;
    channelStart.value = 0;
    probed.value = null;
    if (pass.value) void runPass();
  }

  function pageChannels(start: number): void {
    channelStart.value = start;
    if (pass.value) void runPass();
  }

  function toggle(index: number): void {
    const next = new Set(expanded.value);
    if (next.has(index)) next.delete(index);
    else next.add(index);
    expanded.value = next;
  }

  const viewedBlock = computed(() => view.value?.blocks[viewed.value] ?? null);

  return {
    net, view, refusal, loading, expanded, viewed, seed, channelStart, pass, passInput, passError, running, speed, measured, probed, viewedBlock,
    show, choose, runPass, viewBlock, pageChannels, toggle,
    probe(unit: ProbedUnit | null) {
      probed.value = unit;
    },
  };
});
