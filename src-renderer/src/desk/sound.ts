// A short two-tone chime for new cases, made with WebAudio (no audio file to ship). Browsers only
// let a page play sound after a user gesture; until then the chime is silently skipped.
let ctx: AudioContext | null = null;

export function chime(emergency: boolean): void {
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume();
    const t0 = ctx.currentTime;
    const tones = emergency ? [988, 740, 988] : [880, 1175];
    tones.forEach((freq, i) => {
      const osc = ctx!.createOscillator();
      const gain = ctx!.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const start = t0 + i * 0.14;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.15, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.13);
      osc.connect(gain).connect(ctx!.destination);
      osc.start(start);
      osc.stop(start + 0.14);
    });
  } catch {
    // No audio device (or a headless browser): the highlight still announces the case.
  }
}
