// The heading arrow drawn once into a small canvas: the officers' IconLayer uses it as a mask
// (tinted per officer), so no image file or data URL is loaded.
import type { Texture } from '@luma.gl/core';
import type { IconAtlas } from '../../../src-shared/map/layers/layer-factory';

/** See IconAtlas: the layer turns the canvas into a texture itself. */
export const iconAtlasOf = (canvas: HTMLCanvasElement): IconAtlas => canvas as unknown as Texture;

export function createArrowAtlas(): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = 32;
  c.height = 32;
  const ctx = c.getContext('2d');
  if (!ctx) return c;
  ctx.fillStyle = '#fff';
  // A chevron pointing north; the layer rotates it by the heading.
  ctx.beginPath();
  ctx.moveTo(16, 3);
  ctx.lineTo(26, 22);
  ctx.lineTo(16, 16);
  ctx.lineTo(6, 22);
  ctx.closePath();
  ctx.fill();
  return c;
}
