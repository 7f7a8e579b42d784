// Plays a track replay on animation frames: the replay's time advances by the frame's duration
// times the speed (seconds of track per second), and stops at the end.
export interface ReplayClock {
  time(): number;
  /** The replay's length in seconds. */
  duration(): number;
  seek(seconds: number): void;
  /** False once the map is gone (the loop stops). */
  alive(): boolean;
}

export class ReplayPlayer {
  playing = false;
  /** Seconds of track per second. */
  speed = 60;
  private raf = 0;
  private lastFrame = 0;

  constructor(private readonly clock: ReplayClock) {}

  play(): void {
    if (this.playing) return;
    this.playing = true;
    this.lastFrame = performance.now();
    const step = (t: number): void => {
      if (!this.playing || !this.clock.alive()) return;
      const dt = (t - this.lastFrame) / 1000;
      this.lastFrame = t;
      const duration = this.clock.duration();
      let time = this.clock.time() + dt * this.speed;
      if (time >= duration) {
        time = duration;
        this.playing = false;
      }
      this.clock.seek(time);
      if (this.playing) this.raf = requestAnimationFrame(step);
    };
    this.raf = requestAnimationFrame(step);
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.raf);
  }
}
