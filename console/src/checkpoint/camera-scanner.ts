/**
 * Reads QR codes from the device camera: each video frame is drawn (at most 960 px wide) into a canvas and handed
 * to the decoder; the next frame is read once the previous decode finished, so a slow phone drops frames instead of
 * queueing them. `onText` gets the frame's capture time, so the page can report frame-to-decision latency.
 */
import { readQr } from './qr-reader';

export interface CameraScanner {
  stop(): void;
  /** While paused (a decision on screen) frames are not decoded. */
  pause(paused: boolean): void;
}

const MAX_WIDTH = 960;

export async function startCamera(video: HTMLVideoElement, onText: (text: string, frameAt: number) => void): Promise<CameraScanner> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } } });
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let stopped = false;
  let paused = false;
  const next = () => {
    if (stopped) return;
    // The frame callback's time is when the frame was handed to the page: latency counts from there.
    if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback((now) => void tick(now));
    else setTimeout(() => void tick(performance.now()), 40);
  };
  const tick = async (frameAt: number) => {
    if (stopped) return;
    if (!paused && context && video.videoWidth > 0) {
      const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const text = await readQr(context.getImageData(0, 0, canvas.width, canvas.height)).catch(() => undefined);
      if (text !== undefined && !paused && !stopped) onText(text, frameAt);
    }
    next();
  };
  next();
  return {
    stop() {
      stopped = true;
      stream.getTracks().forEach((track) => track.stop());
      video.srcObject = null;
    },
    pause(p) {
      paused = p;
    },
  };
}
